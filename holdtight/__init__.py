"""holdtight: what the central office holds tight, and what it leaves loose."""

__version__ = "0.1.0"
