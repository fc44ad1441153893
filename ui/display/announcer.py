"""Speak calls one after another with Qt's text-to-speech; chime when no voice fits.

Calls arrive in bursts (three counters pressing "call" in the same second). Each one is
queued and spoken ``repeats`` times; the next utterance goes to the engine only when the
engine is Ready again, so none is cut off or lost. When the engine has no voice for the
UI language (a Windows PC without a Chinese voice, say), each call plays a chime instead
— the calling display flashes it as well — and the admin is told once through
``fallback_used``.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from dataclasses import dataclass

from PySide6.QtCore import QLocale, QObject, QTimer, QUrl, Signal
from PySide6.QtWidgets import QApplication

from app.domain.announcement import speaks_chinese
from app.settings import Settings
from ui.display.chime import TONES, chime_file

log = logging.getLogger(__name__)

#: Environment variable naming the Qt text-to-speech engine ("mock" in the tests).
ENGINE_ENV = "QT_TEXTTOSPEECH_ENGINE"
#: Pause between two utterances, so "…办理业务。请 A024 号…" does not run together.
DEFAULT_GAP_MS = 600
#: An utterance that has not finished after this long is stopped: the queue never stalls.
DEFAULT_MAX_UTTERANCE_MS = 20_000
#: How long an engine may take to start before the chime is used instead.
ENGINE_START_TIMEOUT_MS = 5_000
CHIME_MS = int(sum(seconds for _, seconds in TONES) * 1000) + 100


@dataclass
class _Announcement:
    text: str
    remaining: int


class Announcer(QObject):
    """A queue of announcements for one engine.

    ``spoken`` lists every text handed to the engine, in order (repetitions included);
    ``chimes`` counts the chimes played instead.
    """

    #: Once, with a sentence for the admin, when calls are chimed instead of spoken.
    fallback_used = Signal(str)
    #: An utterance (the text) or a chime ("") has started.
    started = Signal(str)
    #: Everything queued has been said.
    idle = Signal()

    def __init__(self, language: str, *, repeats: int = 2, engine: str | None = None,
                 gap_ms: int = DEFAULT_GAP_MS, rate: float = 0.0, volume: float = 1.0,
                 max_utterance_ms: int = DEFAULT_MAX_UTTERANCE_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.repeats = max(1, int(repeats))
        self.engine_name = os.environ.get(ENGINE_ENV, "") if engine is None else engine
        self.spoken: list[str] = []
        self.chimes = 0
        self.fallback_reason: str | None = None
        self._fallback_reported = False
        self._queue: deque[_Announcement] = deque()
        self._busy = False
        self._ready = False
        self._rate = rate
        self._volume = volume
        self._sound = None  # QSoundEffect, made on the first chime (None: the system beep)
        self._sound_made = False
        self._speech = None
        self._gap = self._single_shot(max(0, gap_ms), self._after_gap)
        self._watchdog = self._single_shot(max_utterance_ms, self._utterance_timed_out)
        self._chime_timer = self._single_shot(CHIME_MS, self._utterance_done)
        self._start_timer = self._single_shot(ENGINE_START_TIMEOUT_MS, self._engine_start_timed_out)
        self._speech = self._make_engine()

    @classmethod
    def from_settings(cls, settings: Settings, language: str, parent: QObject | None = None) -> Announcer:
        return cls(language, repeats=settings.get("display.announce_repeats"), parent=parent)

    def _single_shot(self, interval: int, slot) -> QTimer:  # type: ignore[no-untyped-def]
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(slot)
        return timer

    # -- engine ----------------------------------------------------------------------

    def _make_engine(self):  # type: ignore[no-untyped-def]
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError as error:  # e.g. the audio libraries are missing on this PC
            self._use_chime(self.tr("Spoken calls are not available on this computer ({reason}); "
                                    "calls are shown with a chime instead.").format(reason=error))
            return None
        speech = QTextToSpeech(self.engine_name, self) if self.engine_name else QTextToSpeech(self)
        self._speech = speech
        speech.stateChanged.connect(self._on_state)
        if speech.state() == QTextToSpeech.State.Ready:
            self._configure(speech)
        elif speech.state() == QTextToSpeech.State.Error:
            self._use_chime(self.tr("The text-to-speech engine could not start ({reason}); "
                                    "calls are shown with a chime instead.").format(reason=speech.errorString()))
        else:
            self._start_timer.start()  # wait for Ready; _on_state configures it
        return speech

    def _configure(self, speech) -> None:  # type: ignore[no-untyped-def]
        """Pick a locale and a voice for the UI language, or fall back to the chime."""
        self._start_timer.stop()
        chinese = speaks_chinese(self.language)
        wanted = QLocale.Language.Chinese if chinese else QLocale.Language.English
        locales = [loc for loc in speech.availableLocales() if loc.language() == wanted]
        if not locales:
            self._use_chime(self._no_voice_message(chinese))
            return
        preferred = QLocale.Country.China if chinese else QLocale(self.language).territory()
        locales.sort(key=lambda loc: (loc.territory() != preferred, loc.territory() != QLocale.Country.UnitedStates,
                                      loc.name()))
        speech.setLocale(locales[0])
        voices = [v for v in speech.availableVoices() if v.locale().language() == wanted]
        if not voices:
            self._use_chime(self._no_voice_message(chinese))
            return
        voices.sort(key=lambda v: v.locale().territory() != preferred)
        speech.setVoice(voices[0])
        speech.setRate(self._rate)
        speech.setVolume(self._volume)
        self._ready = True
        log.info("Calls are spoken by the %s engine, voice %s (%s)", self.engine_name or "default",
                 voices[0].name(), voices[0].locale().name())
        self._next()

    def _no_voice_message(self, chinese: bool) -> str:
        if chinese:
            return self.tr("No Chinese text-to-speech voice is installed, so calls cannot be spoken; "
                           "the display plays a chime and flashes each call instead. "
                           "Install a Chinese voice on this computer to hear the numbers.")
        return self.tr("No English text-to-speech voice is installed, so calls cannot be spoken; "
                       "the display plays a chime and flashes each call instead.")

    def _use_chime(self, reason: str) -> None:
        self._ready = False
        self._start_timer.stop()
        if self.fallback_reason is None:
            self.fallback_reason = reason
        # Emitted from the event loop: whoever connects right after construction hears it.
        QTimer.singleShot(0, self, self._report_fallback)
        self._next()

    def _report_fallback(self) -> None:
        if self._fallback_reported or self.fallback_reason is None:
            return
        self._fallback_reported = True
        log.warning("Calling display: %s", self.fallback_reason)
        self.fallback_used.emit(self.fallback_reason)

    def _on_state(self, state) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtTextToSpeech import QTextToSpeech

        if state == QTextToSpeech.State.Error:
            log.error("Text-to-speech error: %s", self._speech.errorString() if self._speech else "")
            was_busy = self._busy
            self._use_chime(self.tr("The text-to-speech engine failed ({reason}); "
                                    "calls are shown with a chime instead.").format(
                reason=self._speech.errorString() if self._speech else ""))
            if was_busy:
                self._utterance_done()
            return
        if state != QTextToSpeech.State.Ready:
            return
        if not self._ready and self.fallback_reason is None:
            self._configure(self._speech)
        elif self._busy and not self._chime_timer.isActive():
            self._utterance_done()

    def _engine_start_timed_out(self) -> None:
        if not self._ready:
            self._use_chime(self.tr("The text-to-speech engine did not start; calls are shown with a chime instead."))

    # -- the queue ---------------------------------------------------------------------

    @property
    def speaking(self) -> bool:
        """True while calls are spoken (not chimed)."""
        return self._ready

    @property
    def pending(self) -> int:
        """Utterances (or chimes) still to come, the current one included."""
        if self._ready:
            return sum(a.remaining for a in self._queue)
        return len(self._queue)

    @property
    def is_idle(self) -> bool:
        return not self._busy and not self._queue

    def announce(self, text: str) -> None:
        """Queue ``text``; it is said ``repeats`` times after everything queued before it."""
        self._queue.append(_Announcement(text, self.repeats))
        self._next()

    def clear(self) -> None:
        """Drop what is queued (the current utterance finishes)."""
        self._queue.clear()

    def stop(self) -> None:
        """Silence at once and forget the queue (the display is closing)."""
        self._queue.clear()
        for timer in (self._gap, self._watchdog, self._chime_timer, self._start_timer):
            timer.stop()
        self._busy = False
        if self._speech is not None:
            self._speech.stop()

    def _next(self) -> None:
        if self._busy or not self._queue:
            return
        if self._ready:
            head = self._queue[0]
            head.remaining -= 1
            if head.remaining <= 0:
                self._queue.popleft()
            self._busy = True
            self.spoken.append(head.text)
            self._watchdog.start()
            self.started.emit(head.text)
            self._speech.say(head.text)
        elif self.fallback_reason is not None:
            self._queue.popleft()  # one chime per call: the flashing board carries the rest
            self._busy = True
            self.chimes += 1
            self.started.emit("")
            self._play_chime()
            self._chime_timer.start()
        # else: the engine is still starting; _configure() resumes the queue

    def _utterance_done(self) -> None:
        self._watchdog.stop()
        self._chime_timer.stop()
        if not self._busy:
            return
        self._gap.start()

    def _after_gap(self) -> None:
        self._busy = False
        self._next()
        if self.is_idle:
            self.idle.emit()

    def _utterance_timed_out(self) -> None:
        log.warning("An announcement did not finish within %d ms; stopping it", self._watchdog.interval())
        if self._speech is not None:
            self._speech.stop()
        self._utterance_done()

    def _play_chime(self) -> None:
        if not self._sound_made:
            self._sound_made = True
            self._sound = self._make_sound()
        if self._sound is not None and self._sound.status() != type(self._sound).Status.Error:
            self._sound.play()
        else:
            QApplication.beep()

    def _make_sound(self):  # type: ignore[no-untyped-def]
        path = chime_file()
        if not path.exists():
            log.warning("Chime sound %s is missing; using the system beep", path)
            return None
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError:
            log.warning("Qt Multimedia is not available; using the system beep for the chime")
            return None
        if not QMediaDevices.audioOutputs():
            log.warning("No audio output device; using the system beep for the chime")
            return None
        sound = QSoundEffect(self)
        sound.setSource(QUrl.fromLocalFile(str(path)))
        sound.setVolume(self._volume)
        return sound
