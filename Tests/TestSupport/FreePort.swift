import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loopback ports for servers that tests start.
public enum FreePort {
    /// Below the kernel's ephemeral range (32768–60999 by default), from which every port-0 bind
    /// and every outgoing connection takes its port. A port handed out there could be taken by
    /// another test's server or connection before the slow-starting child binds it, and that
    /// test's requests would then reach the wrong server.
    static let range = 20_000..<32_000
    private static let handedOut = Mutex<Set<Int>>([])

    /// A loopback port no other test of this process was given, free when checked, outside the
    /// ephemeral range so nothing else in the process is handed it by the kernel meanwhile.
    public static func pick() throws -> Int {
        for _ in 0..<200 {
            let candidate = Int.random(in: range)
            let claimed = handedOut.withLock { ports in ports.insert(candidate).inserted }
            if claimed && isBindable(candidate) { return candidate }
        }
        throw TestSupportError.socket("no free loopback port in \(range)")
    }

    /// True when the port can be bound on 127.0.0.1 right now.
    static func isBindable(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// True once something accepts TCP connections on the loopback port.
    public static func isAccepting(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

public enum TestSupportError: Error, CustomStringConvertible {
    case socket(String)
    case serverDidNotStart(String)
    case commandFailed(String)

    public var description: String {
        switch self {
        case .socket(let text), .serverDidNotStart(let text), .commandFailed(let text): text
        }
    }
}
