import Testing
@testable import ConfigModel
@Test func markOrders() { #expect(Mark(line: 1, column: 9) < Mark(line: 2, column: 1)) }
