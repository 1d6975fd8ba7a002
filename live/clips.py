"""Cutting a show's recording into explanation clips (讲解回放), with PyAV.

A clip is the span between an item's pin and its unpin, re-encoded as H.264 video (at most 720 lines
high) with AAC sound where the recording has any, in an MP4 whose index comes first so that it plays
while it downloads, with no metadata of the recording's (`map_metadata` is not carried: PyAV writes
only what it is given). Its poster is the clip's first picture, as a JPEG. Re-encoding makes the cut
exact to a frame whatever the encoder's keyframe interval (OBS sends one every 2 s by default), where
copying the stream could only cut at keyframes.
"""

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image

MAX_HEIGHT = 720
FALLBACK_RATE = 25
POSTER_QUALITY = 85


class ClipError(Exception):
    """The recording cannot be read, or holds no picture in the span asked for."""


@dataclass(frozen=True)
class Cut:
    duration: float  # seconds of picture in the clip
    width: int
    height: int


def _size(width: int, height: int) -> tuple[int, int]:
    """The clip's size: the recording's, scaled down to MAX_HEIGHT lines, both even (H.264 wants it)."""
    if height > MAX_HEIGHT:
        width, height = round(width * MAX_HEIGHT / height), MAX_HEIGHT
    return width - width % 2, height - height % 2


def cut(source: Path, *, start: float, end: float, video: Path, poster: Path) -> Cut:
    """Write [start, end) seconds of `source` to `video` (MP4) and its first picture to `poster`
    (JPEG). Raises ClipError for a recording PyAV cannot read or a span with no picture in it."""
    if end <= start:
        raise ClipError(f"An empty span: {start} to {end} s.")
    try:
        source_file = av.open(str(source))
    except (av.error.FFmpegError, OSError) as error:
        raise ClipError(f"The recording cannot be read: {error}") from error
    with source_file:
        if not source_file.streams.video:
            raise ClipError("The recording has no picture.")
        in_video = source_file.streams.video[0]
        in_audio = source_file.streams.audio[0] if source_file.streams.audio else None
        rate = in_video.average_rate or Fraction(FALLBACK_RATE)
        width, height = _size(in_video.codec_context.width, in_video.codec_context.height)
        # Seek to the keyframe at or before the start, then drop what comes before it.
        if start > 0 and in_video.time_base is not None:
            source_file.seek(int(start / in_video.time_base), stream=in_video, backward=True, any_frame=False)
        with av.open(str(video), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            out_video = out.add_stream("libx264", rate=rate)
            out_video.width, out_video.height = width, height
            out_video.pix_fmt = "yuv420p"
            out_video.options = {"preset": "veryfast", "crf": "23"}
            out_audio = None
            if in_audio is not None:
                out_audio = out.add_stream("aac", rate=in_audio.codec_context.sample_rate or 44100)
            first_time: float | None = None
            last_time = 0.0
            pictures = 0
            samples = 0
            frame_step = float(1 / rate)
            streams = [in_video] + ([in_audio] if in_audio is not None else [])
            try:
                for packet in source_file.demux(*streams):
                    for frame in packet.decode():
                        when = getattr(frame, "time", None)
                        if when is None or not start <= when < end:
                            continue
                        if isinstance(frame, av.VideoFrame):
                            if first_time is None:
                                first_time = when
                                frame.to_image().convert("RGB").save(poster, "JPEG", quality=POSTER_QUALITY)
                            last_time = when
                            picture = frame.reformat(width=width, height=height, format="yuv420p")
                            # Numbered from the clip's start, one tick a frame.
                            picture.pts, picture.time_base = pictures, Fraction(1) / rate
                            pictures += 1
                            for out_packet in out_video.encode(picture):
                                out.mux(out_packet)
                        elif (
                            isinstance(frame, av.AudioFrame)
                            and out_audio is not None
                            and first_time is not None
                        ):
                            frame.pts, frame.time_base = samples, Fraction(1, frame.sample_rate)
                            samples += frame.samples
                            for out_packet in out_audio.encode(frame):
                                out.mux(out_packet)
                    # Past the span, with a second's margin for frames decoded out of order.
                    at, base = packet.pts, in_video.time_base
                    if (
                        packet.stream is in_video
                        and at is not None
                        and base is not None
                        and float(at * base) >= end + 1
                    ):
                        break
            except av.error.FFmpegError as error:
                raise ClipError(f"The recording cannot be decoded: {error}") from error
            for out_packet in out_video.encode(None):
                out.mux(out_packet)
            if out_audio is not None:
                for out_packet in out_audio.encode(None):
                    out.mux(out_packet)
    if first_time is None:
        video.unlink(missing_ok=True)
        raise ClipError(f"No picture between {start} and {end} s.")
    return Cut(duration=last_time - first_time + frame_step, width=width, height=height)


def duration_of(video: Path) -> float:
    """A video's length in seconds, as its container says; where it says nothing (a recording whose
    writer never went back to note its length), up to the end of its last picture. Raises ClipError
    for a file PyAV cannot read or one with no picture."""
    try:
        with av.open(str(video)) as container:
            if not container.streams.video:
                raise ClipError("The recording has no picture.")
            stream = container.streams.video[0]
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
    except (av.error.FFmpegError, OSError) as error:
        raise ClipError(f"The recording cannot be read: {error}") from error


def poster_size(poster: Path) -> tuple[int, int]:
    with Image.open(poster) as image:
        return image.size


def recording_of_bars(
    path: Path,
    *,
    seconds: float,
    rate: int = FALLBACK_RATE,
    size: tuple[int, int] = (640, 360),
    label: str = "",
) -> None:
    """A recording made here, with no camera: colour bars that move, the second written on them, and
    a tone. For the demo's show and for tests of the clip job. MP4, FLV, or HLS (a playlist and its
    two-second segments beside it) by `path`'s suffix."""
    from math import sin, tau

    from PIL import ImageDraw

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
        samples_per_frame = 1024
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
                tone = bytes(
                    int(128 + 60 * sin(tau * 440 * (audio_pts + n) / 44100)) & 0xFF
                    for n in range(samples_per_frame)
                )
                sound = av.AudioFrame(format="u8", layout="mono", samples=samples_per_frame)
                sound.planes[0].update(tone)
                sound.sample_rate, sound.pts = 44100, audio_pts
                audio_pts += samples_per_frame
                for packet in audio.encode(sound):
                    out.mux(packet)
        for stream in (video, audio):
            for packet in stream.encode(None):
                out.mux(packet)
