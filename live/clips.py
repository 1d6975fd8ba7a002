"""Cutting a show's recording into explanation clips (讲解回放), with PyAV.

A clip is the span between an item's pin and its unpin, re-encoded as H.264 video (at most 720 lines
high) with AAC sound where the recording has any, in an MP4 whose index comes first so that it plays
while it downloads, with no metadata of the recording's (`map_metadata` is not carried: PyAV writes
only what it is given). Its poster is the clip's first picture, as a JPEG. Re-encoding makes the cut
exact to a frame whatever the encoder's keyframe interval (OBS sends one every 2 s by default), where
copying the stream could only cut at keyframes. What is not particular to clips (sizes, the length of
a file, posters, the test recording) is in marketplace.video, which a listing's video uses too.
"""

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from marketplace import video as video_files
from marketplace.video import FALLBACK_RATE, MAX_HEIGHT, MP4_OPTIONS, X264_OPTIONS, write_poster
from marketplace.video import picture_size as poster_size
from marketplace.video import recording_of_bars as recording_of_bars

__all__ = ["ClipError", "Cut", "cut", "duration_of", "poster_size", "recording_of_bars"]


class ClipError(Exception):
    """The recording cannot be read, or holds no picture in the span asked for."""


@dataclass(frozen=True)
class Cut:
    duration: float  # seconds of picture in the clip
    width: int
    height: int


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
        width, height = video_files.even_size(
            in_video.codec_context.width, in_video.codec_context.height, max_height=MAX_HEIGHT
        )
        # Seek to the keyframe at or before the start, then drop what comes before it.
        if start > 0 and in_video.time_base is not None:
            source_file.seek(int(start / in_video.time_base), stream=in_video, backward=True, any_frame=False)
        with av.open(str(video), "w", format="mp4", options=MP4_OPTIONS) as out:
            out_video = out.add_stream("libx264", rate=rate)
            out_video.width, out_video.height = width, height
            out_video.pix_fmt = "yuv420p"
            out_video.options = dict(X264_OPTIONS)
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
                                write_poster(frame.to_image(), poster)
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
    """A video's length in seconds (marketplace.video.duration_of). Raises ClipError for a file PyAV
    cannot read or one with no picture."""
    try:
        return video_files.duration_of(video)
    except video_files.VideoError as error:
        raise ClipError(f"The recording cannot be read: {error}") from error
