import Foundation
import Postgres
@testable import SealQueue
import Testing

/// Every hot by-id statement must be served by the primary key even with generic plans (reference §5.4: a
/// small index on a transient state can attract them and walk dead entries).
@Suite struct QueryPlanTests {
    func genericPlan(_ connection: PGConnection, _ sql: String, types: String, arguments: String) throws -> String {
        try connection.execute("DEALLOCATE ALL")
        try connection.execute("PREPARE hot(\(types)) AS \(sql)")
        try connection.execute("SET plan_cache_mode = force_generic_plan")
        let plan = try connection.query("EXPLAIN EXECUTE hot(\(arguments))").map { try $0.string(0) }.joined(separator: "\n")
        try connection.execute("RESET plan_cache_mode")
        return plan
    }

    @Test func hotStatementsUseThePrimaryKeyUnderGenericPlans() throws {
        let url = try QueueTestSupport.freshDatabase()
        let connection = try PGConnection(url)
        try JobQueue(connection: connection).enqueueMany(kind: "noop", argsJSON: Array(repeating: "{}", count: 2000))
        try connection.execute("UPDATE sealpress.jobs SET state = 'completed' WHERE id % 3 = 0")
        try connection.execute("ANALYZE sealpress.jobs")
        let worker = "'00000000-0000-0000-0000-000000000001'"
        let completion = "'{1,2}', '{1,1}', '\\x', '[null, null]', '{0,0}', '{-1,-1}', \(worker), '{0,0}', '{\"\",\"\"}'"
        let statements: [(String, String, String, String)] = [
            ("complete", QueueSQL.complete, "bigint[], bigint[], bytea, jsonb, bigint[], bigint[], uuid, bigint[], text[]", completion),
            ("fail", QueueSQL.fail, "bigint[], bigint[], bigint[], jsonb, bigint[], uuid",
             "'{1}', '{1}', '{1000}', '[{}]', '{0}', \(worker)"),
            ("release", QueueSQL.release, "bigint[], bigint[], uuid", "'{1}', '{1}', \(worker)"),
            ("claim", QueueSQL.claim(filter: .any), "bigint, uuid", "10, \(worker)"),
            ("complete+claim", QueueSQL.completeAndClaim(filter: .any),
             "bigint[], bigint[], bytea, jsonb, bigint[], bigint[], uuid, bigint[], text[], bigint", completion + ", 10"),
        ]
        for (name, sql, types, arguments) in statements {
            let plan = try genericPlan(connection, sql, types: types, arguments: arguments)
            // A claim runs in sealpress.claim_jobs (migration 4), whose by-id UPDATE fences on `state::text`.
            if name == "claim" {
                #expect(plan.contains("claim_jobs"), "\(name) does not claim through sealpress.claim_jobs:\n\(plan)")
            } else {
                #expect(plan.contains("jobs_pkey"), "\(name) does not use the primary key:\n\(plan)")
            }
            #expect(!plan.contains("Seq Scan on jobs"), "\(name) scans the jobs table:\n\(plan)")
            #expect(!plan.contains("jobs_running"), "\(name) walks the running index:\n\(plan)")
        }
    }
}
