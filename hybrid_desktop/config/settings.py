"""The user's preferences: a typed, versioned settings file (``settings.json`` in the config folder).

Loading never fails the app: an unreadable or invalid file is reported once (``Settings.problems``)
and the defaults stand in for the values that could not be read. Saving is atomic (write a sibling
file, then rename), so a crash mid-save leaves the previous file intact.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar

from hybrid_desktop.config.edge import DEFAULT_ORG_ACTIONS, EdgeServer, parse_servers, split_host
from hybrid_desktop.domain import validate_actions
from hybrid_desktop.errors import SettingsError

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1

#: The choices of ``Settings.color_scheme``.
COLOR_SCHEMES = ("system", "light", "dark")
#: The choices of ``Settings.language``: "system" follows the system's UI languages.
LANGUAGES = ("system", "en", "de")


def default_threads() -> int:
    """Decode threads: all cores up to 8 (llama.cpp gains little beyond, and the UI needs a core)."""
    return max(1, min(os.cpu_count() or 2, 8))


@dataclass
class Settings:
    """Everything the user can change in Settings, with its default."""

    #: GGUF file to run; ``None`` means the embedded default model.
    model_path: str | None = None
    n_threads: int = field(default_factory=default_threads)
    n_ctx: int = 4096
    max_tokens: int = 1024
    temperature: float = 0.2
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    system_prompt: str = ""
    # desktop integration --------------------------------------------------------------------
    #: The global hotkey for the Quick Prompt ("" turns it off).
    hotkey: str = "Ctrl+Alt+Space"
    #: Closing the main window keeps the app running in the system tray.
    close_to_tray: bool = True
    #: Start with only the tray icon (when there is a tray).
    start_minimized: bool = False
    #: Start Hybrid Desktop when the user logs in.
    start_at_login: bool = False
    #: The one-time "still running in the tray" notice was shown.
    tray_notice_shown: bool = False
    #: The window's colours: "system" follows the system's light or dark scheme (live);
    #: "light" or "dark" overrides it.
    color_scheme: str = "system"
    #: A tray notification when an answer completes while the window is hidden or unfocused.
    notify_on_answer: bool = True
    #: The window's language: "system" follows the system's UI languages, or "en", "de"
    #: (applies at the next start).
    language: str = "system"
    #: The first-run panel in the chat area was dismissed.
    first_run_dismissed: bool = False
    # cloud tier -----------------------------------------------------------------------------
    #: The Claude model for cloud answers.
    cloud_model: str = "claude-sonnet-5-5"
    #: API base URL; empty: ``ANTHROPIC_BASE_URL`` or Anthropic's own endpoint.
    cloud_base_url: str = ""
    #: The cloud's deadline in seconds: for its first token and for any silence between tokens.
    #: Past it, Auto falls back to the local model at once (there is no retry).
    cloud_timeout_s: float = 10.0
    #: The first-token and the between-tokens deadline on their own (0: ``cloud_timeout_s``).
    #: Only tokens count as progress: keep-alive pings and other events do not move them on.
    cloud_first_token_s: float = 0.0
    cloud_stall_s: float = 0.0
    #: The hard switch: no network call of any kind while it is on.
    offline_mode: bool = False
    #: Spending caps in US dollars (0: no cap). Over a cap, requests are answered locally.
    daily_budget_usd: float = 1.0
    monthly_budget_usd: float = 20.0
    #: On Auto, a complete local answer whose confidence is below ``escalate_below`` is asked of
    #: the cloud model as well; both answers are kept. Off by default: see the README's measure.
    escalate_weak_answers: bool = False
    escalate_below: float = 0.4
    #: The local model's capability tier for routing: "" reads it from the GGUF metadata;
    #: "tiny", "small", "medium" or "large" sets it (as a model catalogue entry would).
    local_tier: str = ""
    # privacy gate ---------------------------------------------------------------------------
    #: Action per entity type (``replace``, ``block`` or ``allow``); types not listed: replace.
    privacy_actions: dict[str, str] = field(default_factory=dict)
    #: The global switch: nothing leaves the device, whatever else is chosen.
    never_send: bool = False
    #: Show the exact outgoing text and ask before every cloud send.
    confirm_cloud_send: bool = False
    #: Terms always treated as personal data (client names, project code names).
    deny_terms: list[str] = field(default_factory=list)
    #: Terms never treated as personal data.
    allow_terms: list[str] = field(default_factory=list)
    #: Encrypt history and the placeholder vault at rest (SQLCipher, the key in the OS keyring);
    #: applied when history next opens. None: leave the file as it is (never decrypt by default).
    encrypt_history: bool | None = None
    # edge tier ------------------------------------------------------------------------------
    #: Servers on the user's network (see config/edge.py): JSON objects, keys in the keyring.
    edge_servers: list[dict[str, Any]] = field(default_factory=list)
    #: Hosts that ``edge discover`` probes besides localhost ("office-gpu", "10.0.0.5:9000").
    #: Address ranges are never probed.
    edge_hosts: list[str] = field(default_factory=list)
    #: The organisation's policy for servers trusted as "organisation" (action per entity type;
    #: types not listed: replace). See config/edge.py DEFAULT_ORG_ACTIONS.
    edge_org_actions: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ORG_ACTIONS))
    #: An edge server's deadline for its first token and for silence between tokens, in seconds.
    edge_timeout_s: float = 20.0
    #: After a failure, a server is not asked again for this long (then only once it is healthy).
    edge_cooldown_s: float = 60.0
    schema_version: int = SCHEMA_VERSION
    #: Problems found while loading; never saved.
    problems: list[str] = field(default_factory=list, compare=False, repr=False)

    LIMITS: ClassVar[dict[str, tuple[float, float]]] = {
        "n_threads": (1, 256),
        "n_ctx": (256, 1_048_576),
        "max_tokens": (1, 131_072),
        "temperature": (0.0, 2.0),
        "top_p": (0.0, 1.0),
        "top_k": (0, 1000),
        "min_p": (0.0, 1.0),
        "repeat_penalty": (0.5, 2.0),
        "cloud_timeout_s": (1.0, 600.0),
        "cloud_first_token_s": (0.0, 600.0),
        "cloud_stall_s": (0.0, 600.0),
        "daily_budget_usd": (0.0, 100_000.0),
        "monthly_budget_usd": (0.0, 1_000_000.0),
        "escalate_below": (0.0, 1.0),
        "edge_timeout_s": (1.0, 600.0),
        "edge_cooldown_s": (0.0, 86_400.0),
    }

    def validate(self) -> None:
        """Raise :class:`SettingsError` when a value is out of range or of the wrong type."""
        for f in fields(self):
            if f.name == "problems":
                continue
            value = getattr(self, f.name)
            if f.name in self.LIMITS:
                low, high = self.LIMITS[f.name]
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise SettingsError(f"Setting {f.name} must be a number, not {value!r}.")
                if f.type == "int" and not isinstance(value, int):
                    raise SettingsError(f"Setting {f.name} must be a whole number, not {value!r}.")
                if not low <= value <= high:
                    raise SettingsError(f"Setting {f.name} must be between {low} and {high}.")
        if self.model_path is not None and not isinstance(self.model_path, str):
            raise SettingsError("Setting model_path must be a file path or null.")
        if not isinstance(self.system_prompt, str):
            raise SettingsError("Setting system_prompt must be text.")
        for name in ("cloud_model", "cloud_base_url"):
            if not isinstance(getattr(self, name), str):
                raise SettingsError(f"Setting {name} must be text.")
        if not self.cloud_model.strip():
            raise SettingsError("Setting cloud_model must name a model.")
        if self.cloud_base_url and not self.cloud_base_url.startswith(("http://", "https://")):
            raise SettingsError("Setting cloud_base_url must start with http:// or https://.")
        if self.local_tier not in ("", "tiny", "small", "medium", "large"):
            raise SettingsError(
                'Setting local_tier must be "", "tiny", "small", "medium" or "large".'
            )
        if self.color_scheme not in COLOR_SCHEMES:
            raise SettingsError('Setting color_scheme must be "system", "light" or "dark".')
        if self.language not in LANGUAGES:
            raise SettingsError('Setting language must be "system", "en" or "de".')
        if not isinstance(self.hotkey, str):
            raise SettingsError("Setting hotkey must be text such as Ctrl+Alt+Space.")
        for name in (
            "never_send",
            "confirm_cloud_send",
            "offline_mode",
            "close_to_tray",
            "start_minimized",
            "start_at_login",
            "tray_notice_shown",
            "escalate_weak_answers",
            "notify_on_answer",
            "first_run_dismissed",
        ):
            if not isinstance(getattr(self, name), bool):
                raise SettingsError(f"Setting {name} must be true or false.")
        if self.encrypt_history is not None and not isinstance(self.encrypt_history, bool):
            raise SettingsError("Setting encrypt_history must be true, false or null.")
        for name in ("deny_terms", "allow_terms"):
            terms = getattr(self, name)
            if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                raise SettingsError(f"Setting {name} must be a list of texts.")
        for name in ("privacy_actions", "edge_org_actions"):
            actions = getattr(self, name)
            if not isinstance(actions, dict):
                raise SettingsError(f"Setting {name} must map entity types to actions.")
            problems = validate_actions(actions)
            if problems:
                raise SettingsError(f"Setting {name}: {'; '.join(problems)}.")
        parse_servers(self.edge_servers)
        if not isinstance(self.edge_hosts, list) or not all(
            isinstance(h, str) for h in self.edge_hosts
        ):
            raise SettingsError("Setting edge_hosts must be a list of host names or addresses.")
        for host in self.edge_hosts:
            split_host(host)

    def edge(self) -> list[EdgeServer]:
        """The configured edge servers (validated on load: a bad list never gets here)."""
        try:
            return parse_servers(self.edge_servers)
        except SettingsError:
            return []

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("problems")
        return data

    @classmethod
    def from_json(cls, data: object) -> Settings:
        """Build settings from parsed JSON, keeping every valid value and defaulting the rest."""
        settings = cls()
        if not isinstance(data, dict):
            settings.problems.append("the settings file does not hold a JSON object")
            return settings
        data = _migrate(dict(data), settings.problems)
        known = {f.name for f in fields(cls)} - {"problems", "schema_version"}
        for key, value in data.items():
            if key == "schema_version":
                continue
            if key not in known:
                log.info("ignoring unknown setting %r", key)
                continue
            candidate = cls(**{key: value})
            try:
                candidate.validate()
            except SettingsError as exc:
                settings.problems.append(_brief(exc.message))
                continue
            setattr(settings, key, value)
        return settings


#: A problem is a sentence in a banner, not a copy of the file: values in it are cut to fit.
MAX_PROBLEM_CHARS = 300


def _brief(problem: str) -> str:
    return problem if len(problem) <= MAX_PROBLEM_CHARS else problem[: MAX_PROBLEM_CHARS - 1] + "…"


def _migrate(data: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """Bring an older file up to :data:`SCHEMA_VERSION` (one step per version)."""
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or version < 1:
        problems.append(_brief(f"unknown settings schema version {version!r}"))
        return data
    if version > SCHEMA_VERSION:
        problems.append(
            f"the settings file is from a newer version (schema {version}); "
            "values this version knows are used"
        )
    # Future schema changes go here as `if version == N: ...; version = N + 1`.
    return data


#: A settings file is a few kilobytes; anything this big is not one.
MAX_SETTINGS_BYTES = 1 << 20


def load_settings(path: Path) -> Settings:
    """Read the settings file; a missing file means defaults, a broken one means defaults + a problem."""
    try:
        size = path.stat().st_size
        if size > MAX_SETTINGS_BYTES:
            settings = Settings()
            settings.problems.append(
                f"{path} is {size:,} bytes, more than a settings file can be "
                f"({MAX_SETTINGS_BYTES:,}); defaults are used"
            )
            log.warning("settings file %s is too large (%d bytes)", path, size)
            return settings
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        log.warning("cannot read settings file %s", path, exc_info=True)
        settings = Settings()
        settings.problems.append(f"cannot read {path}: {exc.strerror or exc}")
        return settings
    except UnicodeDecodeError:
        log.warning("settings file %s is not UTF-8 text", path)
        settings = Settings()
        settings.problems.append(f"{path} is not UTF-8 text; defaults are used")
        return settings
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        log.warning("settings file %s is not valid JSON: %s", path, exc)
        settings = Settings()
        settings.problems.append(f"{path} is not valid JSON (line {exc.lineno}); defaults are used")
        return settings
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, or nesting 100,000 deep
        log.warning("settings file %s cannot be read: %s", path, type(exc).__name__)
        settings = Settings()
        settings.problems.append(
            f"{path} holds a number too long or nesting too deep to read; defaults are used"
        )
        return settings
    settings = Settings.from_json(data)
    for problem in settings.problems:
        log.warning("settings: %s", problem)
    return settings


def save_settings(settings: Settings, path: Path) -> None:
    """Validate and write atomically. Raises :class:`SettingsError` on invalid values or disk errors."""
    settings.validate()
    payload = json.dumps(settings.to_json(), indent=2, sort_keys=True) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when saving: it costs start-up time

        fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise SettingsError(
            f"Could not save settings to {path}: {exc.strerror or exc}.",
            "Check that the config folder is writable.",
        ) from exc
