import Foundation
import SealPipeline
import Testing

/// A pipeline's `status_services` and the verify job's optional `pipeline` argument.
@Suite struct PipelineStatusServicesTests {
    static let base = "name: p\nseal: s\nplacements:\n  - page: 1\n    x_mm: 1\n    y_mm: 1\n"

    @Test func statusServicesAreReadInOrderWithoutDuplicates() throws {
        let pipeline = try PipelineLoader.load(yaml: Self.base + """
            status_services:
              - https://issuer.example:8443
              - http://127.0.0.1:8080/
              - https://issuer.example:8443

            """)
        #expect(pipeline.statusServices.map(\.absoluteString) == ["https://issuer.example:8443", "http://127.0.0.1:8080/"])
        #expect(try PipelineLoader.load(yaml: Self.base).statusServices.isEmpty)
    }

    @Test func badStatusServicesAreReportedWithTheirLines() throws {
        do {
            _ = try PipelineLoader.load(yaml: Self.base + """
                status_services:
                  - ftp://issuer.example
                  - https://issuer.example
                  - issuer.example:8443

                """)
            Issue.record("bad status services were accepted")
        } catch {
            #expect(error.problems.count == 2, "\(error.problems)")
            #expect(error.problems.map(\.line) == [8, 10], "\(error.problems)")
            #expect(error.problems.allSatisfy { $0.message.contains(StatusServiceURL.requirement) })
            #expect(error.problems.first?.message.hasPrefix("status_services[0]") == true)
        }
        do {
            _ = try PipelineLoader.load(yaml: Self.base + "status_services: https://issuer.example\n")
            Issue.record("a single URL instead of a list was accepted")
        } catch {
            #expect(error.problems.first?.message.contains("must be a list") == true)
        }
    }

    @Test func theWorkerRuleIsTheOneUsed() {
        #expect(StatusServiceURL.parse("https://issuer.example:8443") != nil)
        #expect(StatusServiceURL.parse("HTTP://issuer.example") != nil)
        #expect(StatusServiceURL.parse("https://") == nil)
        #expect(StatusServiceURL.parse("/status/v1") == nil)
        #expect(StatusServiceURL.parse("file:///etc/passwd") == nil)
    }

    @Test func verifyJobArgumentsMayNameAPipeline() throws {
        #expect(VerifyJobArguments().json == "{}")
        #expect(VerifyJobArguments(pipeline: "contract").json == #"{"pipeline":"contract"}"#)
        #expect(try VerifyJobArguments(json: "{}").pipeline == nil)
        #expect(try VerifyJobArguments(json: #"{"pipeline":"contract"}"#).pipeline == "contract")
        #expect(throws: JobArgumentsError.self) { try VerifyJobArguments(json: #"{"pipeline":""}"#) }
        #expect(throws: JobArgumentsError.self) { try VerifyJobArguments(json: #"{"pipeline":7}"#) }
        #expect(throws: JobArgumentsError.self) { try VerifyJobArguments(json: "[]") }
        #expect(throws: JobArgumentsError.self) {
            try PipelineJobs.validateArguments(kind: "verify", argsJSON: #"{"pipeline":"other"}"#, pipelines: ["contract"])
        }
        try PipelineJobs.validateArguments(kind: "verify", argsJSON: #"{"pipeline":"contract"}"#, pipelines: ["contract"])
        try PipelineJobs.validateArguments(kind: "verify", argsJSON: "{}", pipelines: ["contract"])
    }
}
