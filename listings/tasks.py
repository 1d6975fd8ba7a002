"""Celery tasks for listings: thin wrappers that take ids and call one service."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def make_listing_photo_thumbnails(photo_id: int) -> None:
    """Thumbnails for one photo. Retries on storage errors; a photo that is already ready, or gone,
    is left alone, so running it twice is harmless."""
    from listings.services import listing_photo_process

    listing_photo_process(photo_id=photo_id)


@shared_task(ignore_result=True)
def process_waiting_photos() -> int:
    """Queue thumbnails again for photos whose job was lost (sent while the broker was down)."""
    from listings.services import listing_photos_requeue_waiting

    return listing_photos_requeue_waiting()


@shared_task(ignore_result=True)
def notify_saved_searches() -> int:
    """Tell shoppers of new items for their saved searches that are due (one digest per user per run)."""
    from listings.notices import saved_searches_notify

    return saved_searches_notify()


@shared_task(ignore_result=True)
def refresh_search_terms() -> int:
    """Rebuild the frequent title words that typos are corrected to."""
    from listings.services import search_terms_refresh

    return search_terms_refresh()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def process_listing_video(video_id: int) -> None:
    """Check and re-encode one listing video (listings.services.videos). Retries on storage errors; a
    video that is ready, failed or gone is left alone, so running it twice is harmless."""
    from listings.services.videos import listing_video_process

    listing_video_process(video_id=video_id)


@shared_task(ignore_result=True)
def process_waiting_videos() -> int:
    """Queue the video job again for videos whose job was lost (sent while the broker was down, or a
    worker that died)."""
    from listings.services.videos import listing_videos_requeue_waiting

    return listing_videos_requeue_waiting()
