#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One request as the load client sends it.
struct LoadRequest: Sendable {
    var method = "GET"
    var path: String
    var headers: [(String, String)] = []
    var body: [UInt8] = []
}

/// What came back: the status, the headers (names lowercased) and the body.
struct LoadResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
}

/// A keep-alive HTTP/1.1 connection over loopback TCP with blocking sockets:
/// the least a client can spend per request, so that on a 2-core machine the
/// server, not the client, is what is measured (as `wrk` would be, in C).
/// It understands what the server sends (`content-length` bodies) and fails
/// loudly on anything else.
final class LoopbackConnection {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let socket: Int32
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 65_536)

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(socket); throw Failure(description: "connect: errno \(errno)") }
        var noDelay: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(socket) }

    func send(_ request: LoadRequest) throws -> LoadResponse {
        var head = "\(request.method) \(request.path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in request.headers { head += "\(name): \(value)\r\n" }
        if !request.body.isEmpty || request.method != "GET" { head += "Content-Length: \(request.body.count)\r\n" }
        head += "\r\n"
        try write(Array(head.utf8) + request.body)
        return try readResponse()
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += n
        }
    }

    /// Reads what the server has sent into `buffer`, through one receive area kept for the
    /// connection's life (a fresh 64 KiB array a read was a memset the server paid for in CPU).
    private func fill() throws {
        let n = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw Failure(description: n == 0 ? "the server closed the connection" : "recv: errno \(errno)") }
        buffer.append(contentsOf: chunk[0..<n])
    }

    /// Parses the head in bytes. Foundation's string splitting and trimming here were about 5 % of
    /// both cores' samples under load, CPU the server on the same two cores did not have: without
    /// them the bare route answered 26,500 requests a second instead of 16,700 (`profile http 3000`).
    private func readResponse() throws -> LoadResponse {
        let end: Int
        while true {
            if let found = headEnd() { end = found; break }
            try fill()
        }
        var lines = buffer[0..<end].split(separator: 10, omittingEmptySubsequences: false).map { $0.last == 13 ? $0.dropLast() : $0 }
        let statusLine = lines.removeFirst().split(separator: 32)
        guard statusLine.count >= 2, let status = Int(String(decoding: statusLine[1], as: UTF8.self)) else {
            throw Failure(description: "not an HTTP response")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: 58) else { continue }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            var value = line[(colon + 1)...]
            while let first = value.first, first == 32 || first == 9 { value.removeFirst() }
            while let last = value.last, last == 32 || last == 9 { value.removeLast() }
            headers[name] = String(decoding: value, as: UTF8.self)
        }
        guard headers["transfer-encoding"] == nil else { throw Failure(description: "chunked responses are not read by this client") }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = end + 4
        while buffer.count < bodyStart + length { try fill() }
        let body = Array(buffer[bodyStart..<bodyStart + length])
        buffer.removeFirst(bodyStart + length)
        return LoadResponse(status: status, headers: headers, body: body)
    }

    private func headEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 { return i }
        return nil
    }
}
