"""Pins: the editor-chosen top of the home page and of each section."""
