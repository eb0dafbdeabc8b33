"""Where user data lives on disk: TinyDB files written atomically.

:class:`~backtimer.core.store.atomic_storage.AtomicJSONStorage` is the TinyDB storage
every store uses: it reads a JSON file (a missing file is an empty database), refuses a
file it cannot make sense of with :class:`~backtimer.core.store.atomic_storage.
UnreadableStoreError` rather than guessing, and writes through a temporary file in the
same folder that replaces the old one only once it is safely on disk, so a crash or a
full disk never leaves a half-written file behind. :func:`~backtimer.core.store.
atomic_storage.move_aside` keeps an unreadable file under a new name so that nothing is
ever lost.

:class:`~backtimer.core.store.settings_store.SettingsStore` keeps the user's settings.
"""
