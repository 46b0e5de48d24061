"""The ``pgwf`` command line: Click groups by noun."""
