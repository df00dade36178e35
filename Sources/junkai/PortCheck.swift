import NIOCore
import NIOPosix

/// Whether `host:port` can be listened on now: checked before any service starts, so that a taken port is
/// reported as such instead of as the errors of the workers that the failed start tears down.
func portIsFree(host: String, port: Int) async -> Bool {
    guard port != 0 else { return true }
    do {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port).get()
        try await channel.close()
        return true
    } catch let error as IOError where error.errnoCode == EADDRINUSE {
        return false
    } catch {
        return true  // anything else (an unknown host, say) is for the server's own start to report
    }
}
