import Foundation
import Query
import Locking
import Testing
import TestSupport

/// The remote commands against a small local HTTP server that answers what a test asks: API errors,
/// HTML pages, slow answers, and the authentication headers that reach it.
@Suite struct RemoteQueryServerTests {
    /// Output collected from a command.
    final class Captured: Sendable {
        let text = SanitizedMutex<(out: String, err: String)>(("", ""))
        var output: CommandOutput {
            CommandOutput(out: { s in self.text.withLock { $0.out += s } }, err: { s in self.text.withLock { $0.err += s } })
        }
        var out: String { text.withLock { $0.out } }
        var err: String { text.withLock { $0.err } }
    }

    static let vectorBody = #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"x"},"value":[1700000000,"1"]}]}}"#

    func instant(_ server: TestHTTPServer, config: String? = nil, headers: [String] = [], timeout: Duration = .seconds(5),
                 url: String? = nil) -> (Int32, Captured) {
        let captured = Captured()
        let c = RemoteQuery.Connection(server: url ?? server.url, httpConfigFile: config, headers: headers, timeout: timeout)
        let code = RemoteQuery.instant(c, expr: "up", time: "1700000000", format: .promql, output: captured.output)
        return (code, captured)
    }

    @Test func successSendsAFormPostAndPrints() async throws {
        let server = try await TestHTTPServer { _ in .init(body: Self.vectorBody) }
        let (code, out) = instant(server, headers: ["X-Scope-OrgID=tenant-1"])
        await server.stop()
        #expect(code == 0)
        #expect(out.out == "up{job=\"x\"} => 1 @[1700000000]\n")
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.uri == "/api/v1/query")
        #expect(request.bodyText == "query=up&time=1700000000")
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(request.header("X-Scope-OrgID") == "tenant-1")
    }

    @Test func fallsBackToGetWhenPostIsNotAllowed() async throws {
        let server = try await TestHTTPServer { r in r.method == "POST" ? .init(status: 405) : .init(body: Self.vectorBody) }
        let (code, out) = instant(server, url: nil)
        await server.stop()
        #expect(code == 0)
        #expect(out.out == "up{job=\"x\"} => 1 @[1700000000]\n")
        #expect(server.requests.map(\.method) == ["POST", "GET"])
        #expect(server.requests.last?.uri == "/api/v1/query?query=up&time=1700000000")
    }

    @Test(arguments: [
        (TestHTTPServer.Reply(status: 500, headers: [("Content-Type", "text/plain")], body: "boom\n"),
         "query error: server_error: server error: 500 (detail: boom)\n"),
        (TestHTTPServer.Reply(status: 404, headers: [("Content-Type", "text/html")], body: "<html>not here</html>"),
         "query error: client_error: client error: 404 (detail: <html>not here</html>)\n"),
        (TestHTTPServer.Reply(status: 200, headers: [("Content-Type", "text/html")], body: "<html><body>login</body></html>"),
         "query error: bad_response: invalid character '<' looking for beginning of value\n"),
        (TestHTTPServer.Reply(status: 422, body: #"{"status":"error","errorType":"execution","error":"query processing would load too many samples"}"#),
         "query error: execution: query processing would load too many samples\n"),
        (TestHTTPServer.Reply(status: 400, body: #"{"status":"success","data":{"resultType":"vector","result":[]}}"#),
         "query error: bad_response: inconsistent body for response code\n"),
        (TestHTTPServer.Reply(status: 200, body: #"{"status":"success","data":{"resultType":"histogram","result":[]}}"#),
         "query error: unknown value type \"histogram\"\n"),
        (TestHTTPServer.Reply(status: 200, body: #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}}"#),
         "query error: sample value must be a quoted string\n"),
        (TestHTTPServer.Reply(status: 200, body: #"{"status":"success","data":{"resultType":"vector""#),
         "query error: bad_response: unexpected end of JSON input\n"),
    ])
    func errorAnswersPrintPromtoolsMessage(reply: TestHTTPServer.Reply, expected: String) async throws {
        let server = try await TestHTTPServer { _ in reply }
        let (code, out) = instant(server)
        await server.stop()
        #expect(code == 1)
        #expect(out.out == "")
        #expect(out.err == expected)
    }

    @Test func aSlowServerTimesOutWithAClearMessage() async throws {
        let server = try await TestHTTPServer { _ in .init(hang: true) }
        let (code, out) = instant(server, timeout: .milliseconds(300))
        await server.stop()
        #expect(code == 1)
        #expect(out.err == "query error: Post \"\(server.url)/api/v1/query\": context deadline exceeded\n")
    }

    @Test func basicAuthFromTheHTTPConfigFileIsSentAndNeverPrinted() async throws {
        let dir = try Processes.temporaryDirectory("httpcfg")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "basic_auth:\n  username: alice\n  password_file: secret.txt\n".write(toFile: dir + "/http.yml", atomically: true, encoding: .utf8)
        try "s3cr3t-pw\n".write(toFile: dir + "/secret.txt", atomically: true, encoding: .utf8)
        let server = try await TestHTTPServer { _ in .init(status: 500, body: "no") }
        let (code, out) = instant(server, config: dir + "/http.yml")
        await server.stop()
        #expect(code == 1)
        // base64("alice:s3cr3t-pw")
        #expect(server.requests.first?.header("Authorization") == "Basic YWxpY2U6czNjcjN0LXB3")
        #expect(!out.err.contains("s3cr3t") && !out.out.contains("s3cr3t"))
    }

    @Test func bearerTokenAndHeadersFromTheHTTPConfigFile() async throws {
        let dir = try Processes.temporaryDirectory("httpcfg")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            authorization:
              credentials: tok-123
            http_headers:
              X-Team:
                values: [blue]
            """.write(toFile: dir + "/http.yml", atomically: true, encoding: .utf8)
        let server = try await TestHTTPServer { _ in .init(body: Self.vectorBody) }
        let (code, _) = instant(server, config: dir + "/http.yml")
        await server.stop()
        #expect(code == 0)
        #expect(server.requests.first?.header("Authorization") == "Bearer tok-123")
        #expect(server.requests.first?.header("X-Team") == "blue")
    }

    @Test func invalidHTTPConfigFileIsAPositionedError() throws {
        let dir = try Processes.temporaryDirectory("httpcfg")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "basic_auth:\n  username: a\n  pasword: b\n".write(toFile: dir + "/http.yml", atomically: true, encoding: .utf8)
        let captured = Captured()
        let c = RemoteQuery.Connection(server: "http://127.0.0.1:9", httpConfigFile: dir + "/http.yml")
        #expect(RemoteQuery.instant(c, expr: "up", time: nil, format: .promql, output: captured.output) == 1)
        #expect(captured.err.hasPrefix("promtool: error: Failed to load HTTP config file: yaml: unmarshal errors:\n  line 3: field pasword not found in type config.plain\n  at \(dir)/http.yml:3:"))
    }

    @Test func userinfoInTheURLIsSentAsBasicAuthAndRedactedInErrors() async throws {
        let server = try await TestHTTPServer { _ in .init(hang: true) }
        let url = "http://bob:hunter2@127.0.0.1:\(server.port)"
        let (code, out) = instant(server, timeout: .milliseconds(300), url: url)
        await server.stop()
        #expect(code == 1)
        #expect(server.requests.first?.header("Authorization") == "Basic Ym9iOmh1bnRlcjI=")
        #expect(out.err == "query error: Post \"http://bob:xxxxx@127.0.0.1:\(server.port)/api/v1/query\": context deadline exceeded\n")
    }

    @Test func labelWarningsGoToStandardError() async throws {
        let server = try await TestHTTPServer { _ in
            .init(body: #"{"status":"success","data":["a","b"],"warnings":["too many series, truncated"]}"#)
        }
        let captured = Captured()
        let code = RemoteQuery.labels(.init(server: server.url + "/prefix/"), name: "job", matchers: ["up"], start: "1", end: "2",
                                      format: .json, output: captured.output)
        await server.stop()
        #expect(code == 0)
        #expect(captured.out == "[\"a\",\"b\"]\n")
        #expect(captured.err == "query warning: too many series, truncated\n")
        #expect(server.requests.first?.method == "GET")
        #expect(server.requests.first?.uri == "/prefix/api/v1/label/job/values?end=2&match%5B%5D=up&start=1")
    }

    @Test func checkReadyReportsTheStatus() async throws {
        let server = try await TestHTTPServer { _ in .init(status: 503, body: "Service Unavailable") }
        let captured = Captured()
        let code = RemoteQuery.checkServer(.init(server: server.url, timeout: .seconds(5)), endpoint: "/-/ready", output: captured.output)
        await server.stop()
        #expect(code == 1)
        #expect(captured.err == "check failed: URL=\(server.url), status=503\n")
        #expect(server.requests.first?.uri == "/-/ready")
    }
}
