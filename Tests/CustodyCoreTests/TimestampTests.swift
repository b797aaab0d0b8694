import Testing
@testable import CustodyCore

/// RFC 3339 and epoch forms of FORMATS.md §0.4, with exact nanoseconds.
struct TimestampTests {
    private func ns(_ seconds: Int64, _ nanos: Int64 = 0) -> Int64 { seconds * 1_000_000_000 + nanos }

    @Test(arguments: [
        ("2025-09-08T14:05:00Z", Int64(1_757_340_300_000_000_000)),                    // 0 digits
        ("2025-09-08T14:05:00.5Z", Int64(1_757_340_300_500_000_000)),                  // 1 digit
        ("2025-09-08T14:05:00.123Z", Int64(1_757_340_300_123_000_000)),                // 3 digits
        ("2025-09-08T14:05:00.123456Z", Int64(1_757_340_300_123_456_000)),             // 6: K8s MicroTime, GitLab
        ("2024-05-01T18:19:11.2593209Z", Int64(1_714_587_551_259_320_900)),            // 7: GitHub log lines
        ("2016-03-09T14:44:26.402973972-08:00", Int64(1_457_563_466_402_973_972)),     // 9: registry events
        ("2025-09-08T12:20:30.000000005Z", Int64(1_757_334_030_000_000_005)),          // Trivy
        ("2025-09-08T16:05:00+02:00", Int64(1_757_340_300_000_000_000)),
        ("2025-09-08 14:05:00Z", Int64(1_757_340_300_000_000_000)),                    // space separator
        ("2025-09-08t14:05:00z", Int64(1_757_340_300_000_000_000)),                    // lower-case t/z
        ("2025-09-08T14:05:00-00:00", Int64(1_757_340_300_000_000_000)),               // unknown local offset
        ("2025-09-08T14:05:00+23:59", Int64(1_757_340_300 - 86_340) * 1_000_000_000),
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("1969-12-31T23:59:59.999999999Z", Int64(-1)),
        ("2024-02-29T12:00:00Z", Int64(1_709_208_000_000_000_000)),                    // leap day
        ("2000-03-01T00:00:00Z", Int64(951_868_800_000_000_000)),                      // after a 400-year leap day
        ("2262-04-11T23:47:16.854775807Z", Int64.max),
        ("1677-09-21T00:12:43.145224192Z", Int64.min),
    ])
    func parsesExactNanoseconds(text: String, expected: Int64) throws {
        #expect(try Timestamp(rfc3339: text).nanosecondsSinceEpoch == expected)
    }

    @Test func offsetsAreNormalisedToUTC() throws {
        let pacific = try Timestamp(rfc3339: "2016-03-09T14:44:26.402973972-08:00")
        let utc = try Timestamp(rfc3339: "2016-03-09T22:44:26.402973972Z")
        let berlin = try Timestamp(rfc3339: "2016-03-09T23:44:26.402973972+01:00")
        #expect(pacific == utc)
        #expect(berlin == utc)
    }

    @Test func orderingAcrossOffsetsIsByInstantNotText() throws {
        // Lexically "10:00" < "19:00", but 10:00-08:00 is 18:00Z and 19:00+02:00 is 17:00Z.
        let later = try Timestamp(rfc3339: "2025-09-08T10:00:00-08:00")
        let earlier = try Timestamp(rfc3339: "2025-09-08T19:00:00+02:00")
        #expect(earlier < later)
        // Nanosecond ordering survives different fraction lengths.
        let a = try Timestamp(rfc3339: "2024-05-01T18:19:11.2593209Z")
        let b = try Timestamp(rfc3339: "2024-05-01T18:19:11.259320901Z")
        let c = try Timestamp(rfc3339: "2024-05-01T20:19:11.26+02:00")
        #expect([c, b, a].sorted() == [a, b, c])
    }

    @Test func leapSecondIsClampedTo59() throws {
        let leap = try Timestamp(rfc3339: "2016-12-31T23:59:60Z")
        #expect(leap == (try Timestamp(rfc3339: "2016-12-31T23:59:59Z")))
        #expect(try Timestamp(rfc3339: "2016-12-31T23:59:60.5Z").rfc3339 == "2016-12-31T23:59:59.5Z")
    }

    @Test(arguments: [
        "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2025-04-31T00:00:00Z",
        "2025-13-01T00:00:00Z", "2025-00-10T00:00:00Z", "2025-01-00T00:00:00Z", "2025-01-32T00:00:00Z",
        "2025-01-01T24:00:00Z", "2025-01-01T23:60:00Z", "2025-01-01T23:59:61Z",
        "2025-01-01T00:00:00+24:00", "2025-01-01T00:00:00+05:60", "2025-01-01T00:00:00+0200",
        "2025-01-01T00:00:00+02", "2025-01-01T00:00:00", "2025-01-01T00:00:00.Z",
        "2025-01-01T00:00:00.1234567891Z", "2025-01-01T00:00:00ZZ", "2025-01-01T00:00:00Z ",
        " 2025-01-01T00:00:00Z", "2025-1-01T00:00:00Z", "2025-01-01X00:00:00Z", "2025-01-01",
        "25-01-01T00:00:00Z", "２０２５-01-01T00:00:00Z", "2025-01-01T00:00:00\u{0}Z", "2025-01-01T00:00:00\nZ",
        "", "Z", "not a timestamp at all, but long enough",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1677-09-21T00:12:43.145224191Z",
        String(repeating: "9", count: 100_000),
    ])
    func rejectsInvalid(text: String) {
        #expect(throws: CustodyError.self) { try Timestamp(rfc3339: text) }
    }

    @Test func rfc3339OrNilSentinels() throws {
        #expect(Timestamp(rfc3339OrNil: nil) == nil)
        #expect(Timestamp(rfc3339OrNil: "") == nil)
        #expect(Timestamp(rfc3339OrNil: "0001-01-01T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339OrNil: "0001-01-01") == nil)
        #expect(Timestamp(rfc3339OrNil: "yesterday") == nil)
        #expect(Timestamp(rfc3339OrNil: "2024-05-01T10:02:11Z")?.nanosecondsSinceEpoch == ns(1_714_557_731))
    }

    @Test(arguments: [
        "2025-09-08T14:05:00Z", "2025-09-08T14:05:00.5Z", "2016-03-09T22:44:26.402973972Z",
        "2024-05-01T18:19:11.2593209Z", "2025-09-08T12:20:30.000000005Z", "1969-12-31T23:59:59.999999999Z",
        "1970-01-01T00:00:00Z", "2000-02-29T23:59:59.1Z", "2262-04-11T23:47:16.854775807Z",
        "1677-09-21T00:12:43.145224192Z",
    ])
    func utcTextRoundTrips(text: String) throws {
        #expect(try Timestamp(rfc3339: text).rfc3339 == text)
    }

    @Test func formattingTrimsAndNormalises() throws {
        #expect(try Timestamp(rfc3339: "2025-09-08T14:05:00.500000000Z").rfc3339 == "2025-09-08T14:05:00.5Z")
        #expect(try Timestamp(rfc3339: "2025-09-08T14:05:00.000Z").rfc3339 == "2025-09-08T14:05:00Z")
        #expect(try Timestamp(rfc3339: "2016-03-09T14:44:26.402973972-08:00").rfc3339 == "2016-03-09T22:44:26.402973972Z")
        #expect(Timestamp(nanosecondsSinceEpoch: -1_500_000_000).rfc3339 == "1969-12-31T23:59:58.5Z")
    }

    /// Every day of the representable range: civil conversion is its own inverse, and format →
    /// parse is the identity at an arbitrary time of day.
    @Test func calendarSweepRoundTrips() throws {
        var failures = 0
        for day in Int64(-106_750)...Int64(106_750) {
            let (year, month, dayOfMonth) = CivilCalendar.civilFromDays(day)
            if CivilCalendar.daysFromCivil(year: year, month: month, day: dayOfMonth) != day { failures += 1 }
            let time = Timestamp(nanosecondsSinceEpoch: day * 86_400_000_000_000 + 45_296_789_000_001)
            if (try Timestamp(rfc3339: time.rfc3339)) != time { failures += 1 }
        }
        #expect(failures == 0)
    }

    @Test func epochForms() {
        #expect(Timestamp(epochSeconds: 1_681_839_912).rfc3339 == "2023-04-18T17:45:12Z")
        #expect(Timestamp(epochMilliseconds: 1_681_839_912_345).rfc3339 == "2023-04-18T17:45:12.345Z")
        #expect(Timestamp.parseEpochSecondsString("1681839912") == Timestamp(epochSeconds: 1_681_839_912))
        #expect(Timestamp.parseEpochSecondsString("-1")?.nanosecondsSinceEpoch == -1_000_000_000)
        #expect(Timestamp.parseEpochSecondsString("0")?.nanosecondsSinceEpoch == 0)
        // Saturate rather than trap on hostile numbers.
        #expect(Timestamp(epochSeconds: .max).nanosecondsSinceEpoch == .max)
        #expect(Timestamp(epochMilliseconds: .min).nanosecondsSinceEpoch == .min)
    }

    @Test(arguments: ["", "-", "+1", " 1", "1 ", "12a", "1.5", "1e9", "９", "99999999999", "9223372036854775807",
                      "99999999999999999999999", "0x10"])
    func epochStringRejects(text: String) {
        #expect(Timestamp.parseEpochSecondsString(text) == nil)
    }

    @Test func compactUTC() throws {
        #expect(try Timestamp(compactUTC: "20250314T120000Z").nanosecondsSinceEpoch == ns(1_741_953_600))
        for bad in ["20250230T120000Z", "20250314T240000Z", "20250314120000Z", "2025-03-14T12:00:00Z",
                    "20250314T120000", "20250314T12000aZ", "", "２0250314T120000Z"] {
            #expect(throws: CustodyError.self) { try Timestamp(compactUTC: bad) }
        }
    }
}
