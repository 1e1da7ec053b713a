/// The MS-DOS date and time fields a ZIP entry stores, from a calendar date in UTC.
struct DOSDateTime: Sendable, Hashable {
    var time: Int
    var date: Int

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        time = hour << 11 | minute << 5 | second / 2
        date = max(0, year - 1980) << 9 | month << 5 | day
    }
}
