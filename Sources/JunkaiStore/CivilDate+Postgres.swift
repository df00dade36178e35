import JunkaiCore
import NIOCore
import PostgresNIO

// A PostgreSQL `date` is an Int32 count of days since 2000-01-01 in binary format; CivilDate counts from
// 1970-01-01, so the two differ by a constant and no calendar arithmetic (or time zone) is involved.
extension CivilDate: PostgresNonThrowingEncodable, PostgresArrayEncodable {
    /// Days from 1970-01-01 to 2000-01-01, PostgreSQL's date epoch.
    static let postgresEpochOffset = 10_957

    public static var psqlType: PostgresDataType { .date }
    public static var psqlFormat: PostgresFormat { .binary }
    public static var psqlArrayType: PostgresDataType { .dateArray }

    /// Writes the date as PostgreSQL's binary `date`.
    public func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer,
                                                         context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger(Int32(truncatingIfNeeded: dayNumber - Self.postgresEpochOffset))
    }
}

extension CivilDate: PostgresDecodable, PostgresArrayDecodable {
    /// Reads a `date` column in binary or text format; anything else is a type mismatch.
    public init<JSONDecoder: PostgresJSONDecoder>(from buffer: inout ByteBuffer, type: PostgresDataType,
                                                  format: PostgresFormat,
                                                  context: PostgresDecodingContext<JSONDecoder>) throws {
        guard type == .date else { throw PostgresDecodingError.Code.typeMismatch }
        switch format {
        case .binary:
            guard buffer.readableBytes == 4, let days = buffer.readInteger(as: Int32.self) else {
                throw PostgresDecodingError.Code.failure
            }
            // ±infinity are Int32.max/min; they are no civil date.
            guard days != Int32.max, days != Int32.min else { throw PostgresDecodingError.Code.failure }
            self.init(dayNumber: Int(days) + Self.postgresEpochOffset)
        case .text:
            guard let text = buffer.readString(length: buffer.readableBytes), let d = CivilDate(iso: text) else {
                throw PostgresDecodingError.Code.failure
            }
            self = d
        }
    }
}
