"""The global hotkey that opens the Quick Prompt from anywhere (Ctrl+Alt+Space by default).

One implementation per desktop, each on its own thread, each reporting through a Qt signal:

- **X11**: ``XGrabKey`` on the root window through python-xlib (every NumLock/CapsLock
  combination grabbed, so the key works whatever the lock state). A grab another program already
  holds fails with ``BadAccess``: that is reported as a conflict, never ignored.
- **Windows**: ``RegisterHotKey`` with a message loop on the listening thread; a taken
  combination fails at registration and is reported the same way.
- **macOS**: pynput's Quartz event tap (needs the Accessibility permission; a missing
  permission is reported).
- **Wayland** allows no global grabs: :func:`platform_support` says so, and the README and
  Settings explain how to bind ``hybrid-desktop --quick-prompt`` to a desktop shortcut instead.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

DEFAULT_HOTKEY = "Ctrl+Alt+Space"
MODIFIERS = ("ctrl", "alt", "shift", "meta")


@dataclass(frozen=True)
class Hotkey:
    modifiers: frozenset[str]
    key: str  # lower-case key name: "space", "k", "f1"…

    @classmethod
    def parse(cls, text: str) -> Hotkey:
        parts = [p.strip().lower() for p in text.replace("-", "+").split("+") if p.strip()]
        aliases = {
            "control": "ctrl",
            "option": "alt",
            "cmd": "meta",
            "super": "meta",
            "win": "meta",
            "command": "meta",
        }
        parts = [aliases.get(p, p) for p in parts]
        modifiers = frozenset(p for p in parts if p in MODIFIERS)
        keys = [p for p in parts if p not in MODIFIERS]
        if len(keys) != 1 or not modifiers:
            raise ValueError(
                f"{text!r} is not a hotkey: use modifiers and one key, like {DEFAULT_HOTKEY}"
            )
        return cls(modifiers, keys[0])

    def __str__(self) -> str:
        order = [m for m in MODIFIERS if m in self.modifiers]
        return "+".join([m.capitalize() for m in order] + [self.key.capitalize()])


def platform_support() -> tuple[bool, str]:
    """Whether a global hotkey can work in this session, and why not when it cannot."""
    if sys.platform.startswith("linux"):
        if os.environ.get("XDG_SESSION_TYPE") == "wayland" or (
            os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY")
        ):
            return False, (
                "Wayland does not let applications grab keys globally. Bind a shortcut in your "
                "desktop's keyboard settings to the command: hybrid-desktop --quick-prompt"
            )
        if not os.environ.get("DISPLAY"):
            return False, "There is no X display, so there is no global hotkey."
        return True, "X11"
    if sys.platform == "win32":
        return True, "Windows"
    if sys.platform == "darwin":
        return True, "macOS"
    return False, f"Global hotkeys are not supported on {sys.platform}."


class HotkeyListener(QObject):
    """Listens on a thread of its own; ``pressed`` and ``failed(message)`` arrive in the GUI."""

    pressed = Signal()
    failed = Signal(str)
    ready = Signal(str)  # the hotkey, once it is registered

    def __init__(self, hotkey: Hotkey) -> None:
        super().__init__()
        self.hotkey = hotkey
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._backend: _Backend | None = None

    def start(self) -> bool:
        ok, why = platform_support()
        if not ok:
            self.failed.emit(why)
            return False
        if sys.platform.startswith("linux"):
            self._backend = _X11Backend(self)
        elif sys.platform == "win32":
            self._backend = _WindowsBackend(self)
        else:
            self._backend = _MacBackend(self)
        self._thread = threading.Thread(target=self._run, name="global-hotkey", daemon=True)
        self._thread.start()
        return True

    def _run(self) -> None:
        assert self._backend is not None
        try:
            self._backend.run(self._stop)
        except Exception as exc:  # a listener that dies says so
            log.exception("global hotkey listener failed")
            self.failed.emit(f"The global hotkey stopped working ({type(exc).__name__}).")

    def stop(self) -> None:
        self._stop.set()
        if self._backend is not None:
            self._backend.wake()
        if self._thread is not None:
            self._thread.join(2.0)


class _Backend:
    def __init__(self, owner: HotkeyListener) -> None:
        self.owner = owner

    def run(self, stop: threading.Event) -> None:
        raise NotImplementedError

    def wake(self) -> None:
        """Make ``run`` notice the stop flag."""


class _X11Backend(_Backend):
    def __init__(self, owner: HotkeyListener) -> None:
        super().__init__(owner)
        self._display = None

    def run(self, stop: threading.Event) -> None:
        from Xlib import XK, X, display, error

        d = display.Display()
        self._display = d
        root = d.screen().root
        hotkey = self.owner.hotkey
        names = {"space": "space", "enter": "Return", "return": "Return", "esc": "Escape"}
        keysym = XK.string_to_keysym(names.get(hotkey.key, hotkey.key))
        if keysym == 0 and len(hotkey.key) > 1:
            keysym = XK.string_to_keysym(hotkey.key.capitalize())
        keycode = d.keysym_to_keycode(keysym)
        if not keycode:
            self.owner.failed.emit(f"The key {hotkey.key!r} is not on this keyboard.")
            return
        mask = 0
        for name, bit in (
            ("ctrl", X.ControlMask),
            ("alt", X.Mod1Mask),
            ("shift", X.ShiftMask),
            ("meta", X.Mod4Mask),
        ):
            if name in hotkey.modifiers:
                mask |= bit
        lock_masks = (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask)
        conflict: list[error.XError] = []

        def on_error(err: error.XError, *_: object) -> None:
            conflict.append(err)

        for extra in lock_masks:
            root.grab_key(
                keycode, mask | extra, True, X.GrabModeAsync, X.GrabModeAsync, onerror=on_error
            )
        d.sync()
        if conflict:
            for extra in lock_masks:
                root.ungrab_key(keycode, mask | extra)
            d.sync()
            self.owner.failed.emit(
                f"{hotkey} is already taken by another application. Choose another hotkey "
                "in Settings → General."
            )
            return
        self.owner.ready.emit(str(hotkey))
        wanted = mask
        relevant = X.ControlMask | X.Mod1Mask | X.ShiftMask | X.Mod4Mask
        try:
            while not stop.is_set():
                while d.pending_events():
                    event = d.next_event()
                    if (
                        event.type == X.KeyPress
                        and event.detail == keycode
                        and (event.state & relevant) == wanted
                    ):
                        self.owner.pressed.emit()
                stop.wait(0.02)
        finally:
            for extra in lock_masks:
                root.ungrab_key(keycode, mask | extra)
            d.close()

    def wake(self) -> None:
        pass  # the loop polls the stop flag every 20 ms


class _WindowsBackend(_Backend):
    WM_HOTKEY = 0x0312
    WM_QUIT = 0x0012

    def __init__(self, owner: HotkeyListener) -> None:
        super().__init__(owner)
        self._thread_id = 0

    def run(self, stop: threading.Event) -> None:  # pragma: no cover - Windows only
        import ctypes
        from ctypes import wintypes

        user32 = ctypes.windll.user32  # type: ignore[attr-defined]
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        self._thread_id = kernel32.GetCurrentThreadId()
        hotkey = self.owner.hotkey
        mods = 0x4000  # MOD_NOREPEAT
        for name, bit in (("alt", 0x1), ("ctrl", 0x2), ("shift", 0x4), ("meta", 0x8)):
            if name in hotkey.modifiers:
                mods |= bit
        special = {"space": 0x20, "enter": 0x0D, "return": 0x0D, "esc": 0x1B}
        if hotkey.key in special:
            vk = special[hotkey.key]
        elif len(hotkey.key) == 1:
            vk = ord(hotkey.key.upper())
        elif hotkey.key.startswith("f") and hotkey.key[1:].isdigit():
            vk = 0x6F + int(hotkey.key[1:])
        else:
            self.owner.failed.emit(f"The key {hotkey.key!r} is not supported.")
            return
        if not user32.RegisterHotKey(None, 1, mods, vk):
            self.owner.failed.emit(
                f"{hotkey} is already taken by another application. Choose another hotkey "
                "in Settings → General."
            )
            return
        self.owner.ready.emit(str(hotkey))
        msg = wintypes.MSG()
        try:
            while not stop.is_set() and user32.GetMessageW(ctypes.byref(msg), None, 0, 0) > 0:
                if msg.message == self.WM_HOTKEY:
                    self.owner.pressed.emit()
        finally:
            user32.UnregisterHotKey(None, 1)

    def wake(self) -> None:  # pragma: no cover - Windows only
        if self._thread_id:
            import ctypes

            ctypes.windll.user32.PostThreadMessageW(  # type: ignore[attr-defined]
                self._thread_id, self.WM_QUIT, 0, 0
            )


class _MacBackend(_Backend):
    def __init__(self, owner: HotkeyListener) -> None:
        super().__init__(owner)
        self._listener: object = None

    def run(self, stop: threading.Event) -> None:  # pragma: no cover - macOS only
        try:
            from pynput import keyboard
        except ImportError:
            self.owner.failed.emit("The global hotkey needs the pynput package on macOS.")
            return
        hotkey = self.owner.hotkey
        names = {"ctrl": "<ctrl>", "alt": "<alt>", "shift": "<shift>", "meta": "<cmd>"}
        key = f"<{hotkey.key}>" if len(hotkey.key) > 1 else hotkey.key
        combo = "+".join([names[m] for m in MODIFIERS if m in hotkey.modifiers] + [key])
        listener = keyboard.GlobalHotKeys({combo: self.owner.pressed.emit})
        self._listener = listener
        listener.start()
        if not getattr(listener, "IS_TRUSTED", True):
            self.owner.failed.emit(
                "macOS needs the Accessibility permission for the global hotkey: System "
                "Settings → Privacy & Security → Accessibility."
            )
        else:
            self.owner.ready.emit(str(hotkey))
        stop.wait()
        listener.stop()

    def wake(self) -> None:
        pass
