"""The image library: uploaded pictures with their descriptions, for reuse."""
