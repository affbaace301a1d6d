"""phonenumbers, lean: replaces the contrib hook, which collects every submodule.

The privacy gate parses and validates numbers (``phonenumbers.data``, ``shortdata``); it never asks
where a number is (``geodata``), which carrier it belongs to (``carrierdata``) or its time zones
(``tzdata``): those tables are 5 MB of the bundle and stay out.
"""

from PyInstaller.utils.hooks import collect_submodules

UNUSED = ("phonenumbers.geodata", "phonenumbers.carrierdata", "phonenumbers.tzdata")

hiddenimports = collect_submodules("phonenumbers", filter=lambda name: not name.startswith(UNUSED))
excludedimports = list(UNUSED)
