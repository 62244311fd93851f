"""The TUI's screens; :data:`MODES` maps each mode name to its screen."""

from __future__ import annotations

from .console import ConsoleScreen
from .dashboard import DashboardScreen
from .events import EventsScreen
from .eviction import EvictionScreen
from .explorer import ExplorerScreen
from .home import HomeScreen
from .inspector import InspectorScreen

MODES = {
    "console": ConsoleScreen,
    "explorer": ExplorerScreen,
    "inspector": InspectorScreen,
    "events": EventsScreen,
    "dashboard": DashboardScreen,
    "eviction": EvictionScreen,
    "home": HomeScreen,
}
