import Testing
@testable import Engine
@Test func versionIsSet() { #expect(EngineInfo.prometheusVersion == "3.14.0") }
