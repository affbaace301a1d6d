"""The model manager: installed models, hardware fit, catalogue, downloads, quantize/prune."""
