"""Video files with PyAV: what a file holds, re-encoding it for the web, and test recordings.

Shared by the apps that keep video: a listing's video (listings.videos) and a live show's clips
(live.clips). Every output is H.264 video (at most `MAX_HEIGHT` lines, even dimensions, as H.264's
4:2:0 sampling wants) with AAC sound where the source has any, in an MP4 whose index comes first so
that it plays while it downloads (`movflags=+faststart`). Nothing of the source's metadata is
carried: PyAV writes only what it is given, and no title, comment, location or creation time of the
source's container or streams is given to it. A poster is a JPEG made from one decoded picture, so
it has no metadata either.

This module imports no app (the import-linter contract on the project package's helpers).
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from math import sin, tau
from pathlib import Path

import av
from PIL import Image, ImageDraw

MAX_HEIGHT = 720
FALLBACK_RATE = 25
POSTER_QUALITY = 85
# The output's picture rate never goes past this; pictures that come faster are dropped.
MAX_RATE = 60
# The largest picture decoded at all (8K): a file that declares more is refused before decoding.
MAX_SOURCE_PIXELS = 7680 * 4320
AAC_FRAME_SAMPLES = 1024
AAC_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000)
MP4_OPTIONS = {"movflags": "+faststart"}
X264_OPTIONS = {"preset": "veryfast", "crf": "23"}

# PyAV's demuxers for still pictures: a photo opens as a "video" of one picture, which it is not.
_PICTURE_FORMATS = ("image2", "gif", "apng", "webp")

# The first bytes of the containers a video comes in: a file that starts like one but cannot be
# read is a damaged video; any other unreadable file is no video at all.
_VIDEO_SIGNATURES: tuple[tuple[int, bytes], ...] = (
    (4, b"ftyp"),  # MP4, MOV, 3GP
    (4, b"moov"),
    (4, b"mdat"),
    (4, b"wide"),
    (4, b"free"),
    (0, b"\x1a\x45\xdf\xa3"),  # Matroska, WebM
    (0, b"FLV"),
    (0, b"\x00\x00\x01\xba"),  # MPEG program stream
    (0, b"\x30\x26\xb2\x75"),  # ASF, WMV
    (0, b"OggS"),
)


class VideoError(Exception):
    """A file that is no video we can use. `code` says why: `not_a_video` (unreadable, a still
    picture, or sound alone), `damaged` (starts like a video, cannot be read through), `too_long`
    (past the caller's limit: `seconds` says how long), `too_many_pixels` (past MAX_SOURCE_PIXELS)."""

    def __init__(self, detail: str, *, code: str, seconds: float | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.seconds = seconds


@dataclass(frozen=True)
class Probe:
    """What a readable video file holds, from its headers (and, where they say nothing of its
    length, from its packets)."""

    duration: float  # seconds
    width: int
    height: int
    has_audio: bool
    format_name: str


@dataclass(frozen=True)
class Encoded:
    """A file `transcode` wrote: its picture's length and size."""

    duration: float
    width: int
    height: int


def even_size(width: int, height: int, *, max_height: int = MAX_HEIGHT) -> tuple[int, int]:
    """`width` by `height` scaled down to at most `max_height` lines, keeping its shape, both even."""
    if height > max_height:
        width, height = round(width * max_height / height), max_height
    return max(2, width - width % 2), max(2, height - height % 2)


def looks_like_video(head: bytes) -> bool:
    """Whether a file's first bytes are those of a video container (MPEG-TS: a sync byte every 188)."""
    if any(head[at : at + len(magic)] == magic for at, magic in _VIDEO_SIGNATURES):
        return True
    return len(head) > 376 and head[0] == head[188] == head[376] == 0x47


def _unreadable(path: Path, error: Exception) -> VideoError:
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        head = b""
    if looks_like_video(head):
        return VideoError(f"The video cannot be read: {error}", code="damaged")
    return VideoError(f"Not a video: {error}", code="not_a_video")


def _stream_duration(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> float:
    """The video stream's length as the container says, else up to the end of its last packet."""
    if stream.duration and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return float(container.duration) / av.time_base
    first: float | None = None
    last = 0.0
    for packet in container.demux(stream):
        if packet.pts is None or packet.time_base is None:
            continue
        start = float(packet.pts * packet.time_base)
        first = start if first is None else min(first, start)
        last = max(last, start + float((packet.duration or 0) * packet.time_base))
    return last - (first or 0.0)


def duration_of(video: Path) -> float:
    """A video's length in seconds, as its container says; where it says nothing (a recording whose
    writer never went back to note its length), up to the end of its last picture. Raises VideoError
    for a file PyAV cannot read or one with no picture."""
    try:
        with av.open(str(video)) as container:
            if not container.streams.video:
                raise VideoError("The file has no picture.", code="not_a_video")
            return _stream_duration(container, container.streams.video[0])
    except (av.error.FFmpegError, OSError) as error:
        raise _unreadable(video, error) from error


def probe(path: Path) -> Probe:
    """Open `path` and say what it holds. Raises VideoError (`not_a_video`, `damaged`,
    `too_many_pixels`) for a file that is no video we can use; its length is the caller's to judge."""
    try:
        with av.open(str(path)) as container:
            format_name = container.format.name
            if any(name in _PICTURE_FORMATS or name.endswith("_pipe") for name in format_name.split(",")):
                raise VideoError(f"A still picture ({format_name}).", code="not_a_video")
            if not container.streams.video:
                raise VideoError("The file has no picture.", code="not_a_video")
            stream = container.streams.video[0]
            width, height = stream.codec_context.width, stream.codec_context.height
            if width < 1 or height < 1:
                raise VideoError("The picture has no size.", code="damaged")
            if width * height > MAX_SOURCE_PIXELS:
                raise VideoError(f"A picture of {width}x{height}.", code="too_many_pixels")
            duration = _stream_duration(container, stream)
            has_audio = bool(container.streams.audio)
    except (av.error.FFmpegError, OSError) as error:
        raise _unreadable(path, error) from error
    if duration <= 0:
        raise VideoError("The video's length cannot be told.", code="damaged")
    return Probe(duration=duration, width=width, height=height, has_audio=has_audio, format_name=format_name)


def write_poster(image: Image.Image, poster: Path) -> None:
    """A picture as a JPEG poster: its pixels alone, with no metadata."""
    image.convert("RGB").save(poster, "JPEG", quality=POSTER_QUALITY)


def _upright(frame: av.VideoFrame) -> Image.Image | None:
    """The picture turned as the file says to show it (a phone held upright records it on its side
    with a rotation to apply), or None when it needs no turning."""
    rotation = round(getattr(frame, "rotation", 0) or 0) % 360
    if rotation == 0:
        return None
    return frame.to_image().rotate(rotation, expand=True)


def transcode(
    source: Path,
    *,
    video: Path,
    poster: Path,
    max_seconds: float,
    max_height: int = MAX_HEIGHT,
    probed: Probe | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> Encoded:
    """Re-encode all of `source` to `video` (MP4: H.264, AAC when it has sound, at most `max_height`
    lines, index first, no metadata) and write its poster (a picture a second in, or the first of a
    shorter video) to `poster` (JPEG).

    `on_progress` is called with the share done (0 to 1) as pictures are encoded; an exception it
    raises stops the work and reaches the caller. Raises VideoError (`not_a_video`, `damaged`,
    `too_many_pixels`, or `too_long` once the pictures run past `max_seconds`, whatever the header
    said). `probed` is what `probe` said of `source`, when the caller asked already. The caller
    removes `video` and `poster` when it raises."""
    checked = probed or probe(source)
    if checked.duration > max_seconds:
        raise VideoError("Too long.", code="too_long", seconds=checked.duration)
    poster_at = min(1.0, checked.duration / 3)
    try:
        source_file = av.open(str(source))
    except (av.error.FFmpegError, OSError) as error:
        raise _unreadable(source, error) from error
    with source_file, av.open(str(video), "w", format="mp4", options=MP4_OPTIONS) as out:
        in_video = source_file.streams.video[0]
        in_audio = source_file.streams.audio[0] if source_file.streams.audio else None
        rate = min(Fraction(in_video.average_rate or FALLBACK_RATE), Fraction(MAX_RATE))
        out_video = out.add_stream("libx264", rate=rate)
        out_video.pix_fmt = "yuv420p"
        out_video.options = dict(X264_OPTIONS)
        out_audio = None
        resampler = None
        if in_audio is not None:
            source_rate = in_audio.codec_context.sample_rate or 44100
            audio_rate = source_rate if source_rate in AAC_RATES else 48000
            layout = "mono" if (in_audio.codec_context.channels or 1) == 1 else "stereo"
            out_audio = out.add_stream("aac", rate=audio_rate)
            out_audio.layout = layout
            resampler = av.AudioResampler(
                format="fltp", layout=layout, rate=audio_rate, frame_size=AAC_FRAME_SAMPLES
            )
        size: tuple[int, int] | None = None
        start: float | None = None
        last_pts = -1
        last_time = 0.0
        samples = 0
        poster_written = False

        def encode_audio(frames: list[av.AudioFrame]) -> None:
            nonlocal samples
            assert out_audio is not None
            for sound in frames:
                sound.pts, sound.time_base = samples, Fraction(1, sound.sample_rate)
                samples += sound.samples
                for out_packet in out_audio.encode(sound):
                    out.mux(out_packet)

        streams = [in_video] + ([in_audio] if in_audio is not None else [])
        try:
            for packet in source_file.demux(*streams):
                for frame in packet.decode():
                    when = getattr(frame, "time", None)
                    if when is None:
                        continue
                    if isinstance(frame, av.VideoFrame):
                        if start is None:
                            start = when
                        when -= start
                        if when > max_seconds + 0.5:
                            raise VideoError("Too long.", code="too_long", seconds=when)
                        turned = _upright(frame)
                        if size is None:
                            width, height = turned.size if turned is not None else (frame.width, frame.height)
                            size = even_size(width, height, max_height=max_height)
                            out_video.width, out_video.height = size
                        pts = round(when * rate)
                        if pts <= last_pts:
                            continue  # faster than the output's rate: dropped
                        if not poster_written and when >= poster_at:
                            shown = turned if turned is not None else frame.to_image()
                            write_poster(shown.resize(size, Image.Resampling.LANCZOS), poster)
                            poster_written = True
                        picture = av.VideoFrame.from_image(turned) if turned is not None else frame
                        picture = picture.reformat(width=size[0], height=size[1], format="yuv420p")
                        picture.pts, picture.time_base = pts, 1 / rate
                        last_pts, last_time = pts, when
                        for out_packet in out_video.encode(picture):
                            out.mux(out_packet)
                        if on_progress is not None:
                            on_progress(min(1.0, when / checked.duration))
                    elif isinstance(frame, av.AudioFrame) and resampler is not None and start is not None:
                        frame.pts = None
                        encode_audio(resampler.resample(frame))
        except av.error.FFmpegError as error:
            raise VideoError(f"The video cannot be decoded: {error}", code="damaged") from error
        if size is None or last_pts < 0:
            raise VideoError("No picture could be decoded.", code="damaged")
        step = float(1 / rate)
        # A file cut short whose header still gives its full length: its pictures end well before.
        if last_time + step < checked.duration - max(1.0, checked.duration * 0.05):
            raise VideoError(
                f"The pictures end at {last_time:.1f} s of {checked.duration:.1f} s.", code="damaged"
            )
        for out_packet in out_video.encode(None):
            out.mux(out_packet)
        if out_audio is not None and resampler is not None:
            encode_audio(resampler.resample(None))
            for out_packet in out_audio.encode(None):
                out.mux(out_packet)
    if not poster_written:  # never reached when the poster's moment is within the pictures
        raise VideoError("No picture for the poster.", code="damaged")
    return Encoded(duration=last_time + step, width=size[0], height=size[1])


def picture_size(poster: Path) -> tuple[int, int]:
    with Image.open(poster) as image:
        return image.size


def recording_of_bars(
    path: Path,
    *,
    seconds: float,
    rate: int = FALLBACK_RATE,
    size: tuple[int, int] = (640, 360),
    label: str = "",
    metadata: dict[str, str] | None = None,
) -> None:
    """A recording made here, with no camera: colour bars that move, the second written on them, and
    a tone. For the demo's show and videos, and for tests of the video jobs. MP4, FLV, or HLS (a
    playlist and its two-second segments beside it) by `path`'s suffix; `metadata` is written into
    the container and its streams (tests that check it is not carried over).

    Encoding takes seconds; a process asked for the same recording again (the demo seeded over and
    over in the test suite) writes the files it made the first time."""
    key = (path.suffix, seconds, rate, size, label, tuple(sorted((metadata or {}).items())))
    made = _recordings_made.get(key)
    if made is None:
        with tempfile.TemporaryDirectory() as folder:
            _record_bars(
                Path(folder) / path.name,
                seconds=seconds,
                rate=rate,
                size=size,
                label=label,
                metadata=metadata,
            )
            # The recording under "", the files beside it (an HLS playlist's segments) by name.
            made = {
                "" if file.name == path.name else file.name: file.read_bytes()
                for file in Path(folder).iterdir()
            }
        _recordings_made[key] = made
    for name, content in made.items():
        (path.parent / name if name else path).write_bytes(content)


# What recording_of_bars made in this process, by what it was asked: its files' bytes.
_recordings_made: dict[tuple, dict[str, bytes]] = {}


def _tone(samples: int) -> bytes:
    """One second of a 440 Hz tone, 8-bit unsigned mono at `samples` a second (440 whole periods, so
    that it repeats without a click)."""
    return bytes(int(128 + 60 * sin(tau * 440 * n / samples)) & 0xFF for n in range(samples))


def _record_bars(
    path: Path,
    *,
    seconds: float,
    rate: int,
    size: tuple[int, int],
    label: str,
    metadata: dict[str, str] | None,
) -> None:

    container_format = {".flv": "flv", ".m3u8": "hls"}.get(path.suffix, "mp4")
    options = (
        {
            "hls_time": "2",
            "hls_playlist_type": "vod",
            "hls_segment_filename": str(path.with_name("segment-%03d.ts")),
        }
        if container_format == "hls"
        else {}
    )
    width, height = size
    bars = [
        (192, 192, 192),
        (192, 192, 0),
        (0, 192, 192),
        (0, 192, 0),
        (192, 0, 192),
        (192, 0, 0),
        (0, 0, 192),
    ]
    with av.open(str(path), "w", format=container_format, options=options) as out:
        video = out.add_stream("libx264", rate=rate)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"preset": "ultrafast", "g": str(rate)}  # a keyframe each second
        audio = out.add_stream("aac", rate=44100)
        audio.layout = "mono"
        if metadata:
            out.metadata.update(metadata)
            video.metadata.update(metadata)
            audio.metadata.update(metadata)
        samples_per_frame = 1024
        second_of_tone = _tone(44100)
        audio_pts = 0
        for index in range(int(seconds * rate)):
            image = Image.new("RGB", size)
            draw = ImageDraw.Draw(image)
            shift = index * 4 % width
            for bar, colour in enumerate(bars):
                left = (bar * width // len(bars) + shift) % width
                draw.rectangle([left, 0, left + width // len(bars), height], fill=colour)
            draw.rectangle([0, height - 60, width, height], fill=(16, 16, 16))
            draw.text((16, height - 48), f"{label} {index / rate:06.2f} s", fill=(255, 255, 255))
            frame = av.VideoFrame.from_image(image)
            frame.pts = index
            for packet in video.encode(frame):
                out.mux(packet)
            # The tone that goes with this picture.
            while audio_pts < (index + 1) * 44100 / rate:
                start = audio_pts % 44100
                tone = (second_of_tone[start:] + second_of_tone)[:samples_per_frame]
                sound = av.AudioFrame(format="u8", layout="mono", samples=samples_per_frame)
                sound.planes[0].update(tone)
                sound.sample_rate, sound.pts = 44100, audio_pts
                audio_pts += samples_per_frame
                for packet in audio.encode(sound):
                    out.mux(packet)
        for stream in (video, audio):
            for packet in stream.encode(None):
                out.mux(packet)
