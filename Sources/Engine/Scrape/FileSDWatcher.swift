#if canImport(Glibc)
import Glibc
#endif

/// Watches the directories of `file_sd_configs` patterns as Prometheus's file discovery does with fsnotify:
/// Linux inotify on each pattern's directory (files appear, go, are written or renamed into place), and any
/// event there means "read the files again". One thread per watcher blocks in `poll` on the inotify
/// descriptor and a stop pipe, so nothing spins and a watcher costs nothing while the files are quiet; the
/// scrape loop still re-reads every `refresh_interval` (a directory that cannot be watched, a file system
/// without inotify, events lost to an overflow).
///
/// `start` returns nil where inotify is unavailable or no directory could be watched; `stop` ends the
/// thread and closes the descriptors (call it once).
final class FileSDWatcher: Sendable {
    /// Fired on every batch of events.
    let changes: FileSDChangeSignal
    #if os(Linux)
    private let inotify: Int32
    private let stopPipe: (read: Int32, write: Int32)
    private let thread: pthread_t

    /// What the watching thread needs (passed to it retained).
    private final class Context: Sendable {
        let inotify: Int32
        let stop: Int32
        let changes: FileSDChangeSignal
        init(inotify: Int32, stop: Int32, changes: FileSDChangeSignal) {
            self.inotify = inotify
            self.stop = stop
            self.changes = changes
        }
    }

    private init(inotify: Int32, stopPipe: (Int32, Int32), thread: pthread_t, changes: FileSDChangeSignal) {
        self.inotify = inotify
        self.stopPipe = stopPipe
        self.thread = thread
        self.changes = changes
    }
    #endif

    /// The events that make Prometheus re-read (fsnotify's create, remove, write and rename).
    static var mask: UInt32 {
        #if os(Linux)
        UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO)
        #else
        0
        #endif
    }

    /// The directory of each pattern (Prometheus's `filepath.Dir`), each once.
    static func directories(of patterns: [String]) -> [String] {
        var seen = Set<String>()
        return patterns.compactMap { p in
            let dir: String
            if let slash = p.utf8.lastIndex(of: UInt8(ascii: "/")) {
                dir = slash == p.utf8.startIndex ? "/" : String(p[..<slash])
            } else {
                dir = "."
            }
            return seen.insert(dir).inserted ? dir : nil
        }
    }

    /// A watcher on the directories of `patterns`, or nil when none can be watched.
    static func start(patterns: [String]) -> FileSDWatcher? {
        #if os(Linux)
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        var watched = 0
        for dir in directories(of: patterns) where inotify_add_watch(fd, dir, mask) >= 0 { watched += 1 }
        var pipeFDs: [Int32] = [-1, -1]
        guard watched > 0, pipe(&pipeFDs) == 0 else {
            close(fd)
            return nil
        }
        for end in pipeFDs { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let changes = FileSDChangeSignal()
        let context = Unmanaged.passRetained(Context(inotify: fd, stop: pipeFDs[0], changes: changes)).toOpaque()
        var tid = pthread_t()
        guard pthread_create(&tid, nil, fileSDWatchEntry, context) == 0 else {
            Unmanaged<Context>.fromOpaque(context).release()
            close(fd)
            close(pipeFDs[0])
            close(pipeFDs[1])
            return nil
        }
        return FileSDWatcher(inotify: fd, stopPipe: (pipeFDs[0], pipeFDs[1]), thread: tid, changes: changes)
        #else
        return nil
        #endif
    }

    /// Ends the watching thread and closes the descriptors.
    func stop() {
        #if os(Linux)
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
        pthread_join(thread, nil)
        close(inotify)
        close(stopPipe.read)
        close(stopPipe.write)
        #endif
    }

    #if os(Linux)
    /// The thread's loop: wait for events or the stop byte; drain the events and fire once per batch.
    fileprivate static func watch(_ context: UnsafeMutableRawPointer) {
        let c = Unmanaged<Context>.fromOpaque(context).takeRetainedValue()
        var fds = [pollfd(fd: c.inotify, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: c.stop, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            let events = fds[0].revents
            if events & Int16(POLLIN) != 0 {
                var any = false
                while buffer.withUnsafeMutableBytes({ read(c.inotify, $0.baseAddress, $0.count) }) > 0 { any = true }
                if any { c.changes.fire() }
            }
            if events & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 { return }
        }
    }
    #endif
}

#if os(Linux)
private let fileSDWatchEntry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { raw in
    if let raw { FileSDWatcher.watch(raw) }
    return nil
}
#endif
