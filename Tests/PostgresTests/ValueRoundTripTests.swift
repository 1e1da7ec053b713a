import Foundation
import Postgres
import SealTestSupport
import Testing

/// Every parameter type goes to the server in binary and comes back decoded by the result column's type.
@Suite struct ValueRoundTripTests {
    let connection: PGConnection

    init() throws {
        connection = try PGConnection(try TestPostgres.shared.makeDatabase(prefix: "values"))
    }

    @Test func scalarsRoundTripThroughTypedColumns() throws {
        let date = Date(timeIntervalSince1970: 1_763_856_000.123456)
        let id = UUID()
        let result = try connection.query(
            """
            SELECT $1::bool AS b, $2::int2 AS i2, $3::int4 AS i4, $4::int8 AS i8, $5::float8 AS f,
                   $6::text AS t, $7::timestamptz AS ts, $8::uuid AS u, $9::jsonb AS j,
                   pg_typeof($1)::text AS b_type, pg_typeof($4)::text AS i8_type, pg_typeof($9)::text AS j_type
            """,
            [.bool(true), .int16(-12345), .int32(Int32.min), .int64(Int64.max), .double(-0.1),
             .text("印章 ✓ 'quoted' \\ \"x\""), .timestamptz(date), .uuid(id), .jsonb(#"{"seal": "公章", "n": [1, 2]}"#)])
        let row = result[row: 0]
        #expect(try row.bool("b") == true)
        #expect(try row.int("i2") == -12345)
        #expect(try row.int("i4") == Int(Int32.min))
        #expect(try row.int("i8") == Int(Int64.max))
        #expect(try row.double("f") == -0.1)
        #expect(try row.string("t") == "印章 ✓ 'quoted' \\ \"x\"")
        #expect(abs(try row.date("ts").timeIntervalSince(date)) < 0.000_001)
        #expect(try row.uuid("u") == id)
        #expect(try row.string("u") == id.uuidString.lowercased())
        #expect(try row.string("j") == #"{"n": [1, 2], "seal": "公章"}"#)  // jsonb normalises key order
        // The server saw the types we declared, so binary parameters carried explicit OIDs.
        #expect(try row.string("b_type") == "boolean")
        #expect(try row.string("i8_type") == "bigint")
        #expect(try row.string("j_type") == "jsonb")
    }

    @Test func timestampsAreMicrosecondExactAndMatchTheServersClock() throws {
        let date = Date(timeIntervalSince1970: 946_684_800 - 86_400 * 365 + 0.000_001)  // before 2000: negative micros
        let row = try connection.query(
            "SELECT $1::timestamptz AS ts, to_char($1 AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS text",
            [.timestamptz(date)])[row: 0]
        #expect(abs(try row.date("ts").timeIntervalSince(date)) < 0.000_001)
        #expect(try row.string("text") == "1999-01-01 00:00:00.000001")
        let infinite = try connection.query("SELECT 'infinity'::timestamptz AS a, '-infinity'::timestamptz AS b")[row: 0]
        #expect(try infinite.date("a") == .distantFuture)
        #expect(try infinite.date("b") == .distantPast)
    }

    @Test func arraysRoundTrip() throws {
        let texts = ["a", "", "印", "with,comma", "{brace}", "\"quote\""]
        let numbers: [Int64] = [0, -1, Int64.max, Int64.min]
        let row = try connection.query(
            "SELECT $1::text[] AS t, $2::int8[] AS n, cardinality($1) AS c, $3::text[] AS empty, ARRAY[1,2]::int4[] AS i4",
            [.textArray(texts), .int64Array(numbers), .textArray([])])[row: 0]
        #expect(try row.stringArray("t") == texts)
        #expect(try row.int64Array("n") == numbers)
        #expect(try row.int("c") == texts.count)
        #expect(try row.stringArray("empty") == [])
        #expect(try row.int64Array("i4") == [1, 2])
    }

    @Test func tenMegabyteByteaRoundTripsByteForByte() throws {
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        let document = [UInt8](try #require(try random.read(upToCount: 10 * 1024 * 1024)))
        try random.close()
        #expect(document.count == 10 * 1024 * 1024)
        try connection.execute("CREATE TABLE blobs (id int PRIMARY KEY, content bytea NOT NULL)")
        let insert = try connection.query("INSERT INTO blobs VALUES ($1, $2)", [.int32(1), .bytea(document)])
        #expect(insert.affectedRows == 1)
        let row = try connection.query("SELECT content, length(content) AS n, sha256(content) AS digest FROM blobs")[row: 0]
        #expect(try row.int("n") == document.count)
        let back = try row.bytes("content")
        #expect(back == document)
        // The stored bytes hash the same as the bytes we sent (hashed by the server from a second upload).
        let echo = try connection.query("SELECT sha256($1) AS digest", [.bytea(document)])[row: 0]
        #expect(try echo.bytes("digest") == row.bytes("digest"))
    }

    @Test func nullsDecodeAsNilAndRequiredGettersThrow() throws {
        let row = try connection.query(
            "SELECT $1::text AS t, $2::int8 AS n, $3::bytea AS b, $4::timestamptz AS d, NULL::uuid AS u",
            [.null, .optionalInt(nil), .optionalBytea(nil), .optionalTimestamptz(nil)])[row: 0]
        #expect(row.isNull("t"))
        #expect(try row.optionalString("t") == nil)
        #expect(try row.optionalInt("n") == nil)
        #expect(try row.optionalBytes("b") == nil)
        #expect(try row.optionalDate("d") == nil)
        #expect(try row.optionalUUID("u") == nil)
        #expect(throws: PGError(.decoding, "")) { _ = try row.string("t") }
        #expect(throws: PGError(.decoding, "")) { _ = try row.int("n") }
        #expect(throws: PGError(.decoding, "")) { _ = try row.uuid("u") }
        // Empty values are not NULL.
        let empty = try connection.query("SELECT $1::text AS t, $2::bytea AS b", [.text(""), .bytea([])])[row: 0]
        #expect(!empty.isNull("t"))
        #expect(try empty.string("t") == "")
        #expect(try empty.bytes("b") == [])
    }

    @Test func typeMismatchesAreTypedDecodingErrors() throws {
        let row = try connection.query("SELECT 'x'::text AS t, 42::int4 AS n, true AS b, 1.5::numeric AS d")[row: 0]
        #expect(throws: PGError(.decoding, "")) { _ = try row.int("t") }
        #expect(throws: PGError(.decoding, "")) { _ = try row.bytes("t") }
        #expect(throws: PGError(.decoding, "")) { _ = try row.bool("n") }
        #expect(throws: PGError(.decoding, "")) { _ = try row.date("n") }
        #expect(throws: PGError(.decoding, "")) { _ = try row.string("b") }
        #expect(throws: PGError(.decoding, "")) { _ = try row.int("missing_column") }
        let error = #expect(throws: PGError.self) { _ = try row.int("t") }
        #expect(error?.code == .decoding)
        #expect(error?.description.contains("column t") == true)
    }

    @Test func numericDecodesExactlyAsTextAndAsDouble() throws {
        let row = try connection.query(
            """
            SELECT 12345678901234567890.000123::numeric AS big, (-0.00000001)::numeric AS tiny, 0::numeric AS zero,
                   100::numeric(10,2) AS scaled, 'NaN'::numeric AS nan
            """)[row: 0]
        #expect(try row.string("big") == "12345678901234567890.000123")
        #expect(try row.string("tiny") == "-0.00000001")
        #expect(try row.string("zero") == "0")
        #expect(try row.string("scaled") == "100.00")
        #expect(try row.double("scaled") == 100)
        #expect(try row.double("nan").isNaN)
    }

    @Test func genericValuesFollowTheColumnType() throws {
        let id = UUID()
        let parameters: [PGValue] = [
            .bool(false), .int64(-5), .double(1.25), .text("t"), .bytea([0, 1, 255]),
            .timestamptz(Date(timeIntervalSince1970: 1_700_000_000)), .uuid(id), .jsonb(#"{"a": 1}"#),
            .textArray(["x", "y"]), .int64Array([3]), .null,
        ]
        let sql = "SELECT $1::bool, $2::int8, $3::float8, $4::text, $5::bytea, $6::timestamptz, $7::uuid, $8::jsonb, "
            + "$9::text[], $10::int8[], $11::text"
        let row = try connection.query(sql, parameters)[row: 0]
        #expect(try (0..<parameters.count).map { try row.value($0) } == parameters)
        #expect(try connection.query("SELECT 1.50::numeric AS n")[row: 0].value("n") == .text("1.50"))
    }

    @Test func literalsAndConvenienceConstructorsBuildTheRightValues() throws {
        let values: [PGValue] = ["text", 7, true, 2.5, nil, .int(9)]
        #expect(values == [.text("text"), .int64(7), .bool(true), .double(2.5), .null, .int64(9)])
        let row = try connection.query("SELECT $1 || '!' AS t, $2 + 1 AS n", ["seal", 41])[row: 0]
        #expect(try row.string("t") == "seal!")
        #expect(try row.int("n") == 42)
    }

    @Test func resultMetadataReportsRowsColumnsAndCommandTags() throws {
        try connection.execute("CREATE TABLE t (n int); INSERT INTO t SELECT generate_series(1, 5)")
        let update = try connection.query("UPDATE t SET n = n + 1 WHERE n > $1", [.int32(2)])
        #expect(update.commandTag == "UPDATE 3")
        #expect(update.affectedRows == 3)
        let select = try connection.query("SELECT n, n * 2 AS double FROM t ORDER BY n")
        #expect(select.rowCount == 5)
        #expect(select.columnNames == ["n", "double"])
        #expect(try select.map { try $0.int(0) } == [1, 2, 4, 5, 6])
        #expect(try select.rows.last?.int("double") == 12)
    }
}
