import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore

/// Small JSON responses the routes share.
enum JSONResponse {
    static func make(_ status: HTTPResponse.Status, _ json: String, headers: HTTPFields = [:]) -> Response {
        make(status, Array(json.utf8), headers: headers)
    }

    static func make(_ status: HTTPResponse.Status, _ bytes: [UInt8], headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `{"error": "...", "code": "..."}` with the message JSON-escaped.
    static func error(_ status: HTTPResponse.Status, code: String, _ message: String) -> Response {
        var escaped = ""
        for scalar in message.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20: escaped += String(format: "\\u%04x", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return make(status, #"{"code":"\#(code)","error":"\#(escaped)"}"#)
    }
}
