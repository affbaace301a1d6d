"""Hybrid Desktop: a private desktop AI assistant that answers on the device first."""

__version__ = "0.1.0"
APP_NAME = "Hybrid Desktop"
APP_ID = "hybrid-desktop"
