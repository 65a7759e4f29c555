"""Harvest annual reports from the units' own websites; the only package code that touches the network."""
