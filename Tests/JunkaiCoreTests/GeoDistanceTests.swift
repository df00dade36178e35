import JunkaiCore
import Testing

@Suite("Distance")
struct GeoDistanceTests {
    @Test("rounding is half away from zero", arguments: [
        (0.5, 1), (1.5, 2), (2.5, 3), (12.5, 13), (40.5, 41), (2.4999999999999996, 2), (0.49999999999999994, 0),
        (-2.5, -3), (0.0, 0), (20015.08, 20015),
    ])
    func rounding(km: Double, expected: Int) {
        #expect(GeoDistance.roundedKm(km) == expected)
    }

    @Test("non-finite distances do not trap")
    func nonFinite() {
        #expect(GeoDistance.roundedKm(.nan) == 0)
        #expect(GeoDistance.roundedKm(.infinity) == Int.max)
        #expect(GeoDistance.roundedKm(1e300) > 0)
    }

    /// Finds a latitude north of the equator at exactly `km` along a meridian, scanning nearby doubles.
    private func pointAt(exactly km: Double) -> GeoPoint? {
        let guess = km / GeoDistance.earthRadiusKm * 180 / Double.pi
        var lat = guess
        for _ in 0..<4000 { lat = lat.nextDown }
        for _ in 0..<8000 {
            let p = GeoPoint(lat: lat, lon: 135)
            if GeoDistance.haversineKm(GeoPoint(lat: 0, lon: 135), p) == km { return p }
            lat = lat.nextUp
        }
        return nil
    }

    @Test("a haversine distance of exactly x.5 km rounds up; the double just below rounds down", arguments: [0.5, 2.5, 12.5, 40.5])
    func halfKilometre(km: Double) throws {
        let origin = GeoPoint(lat: 0, lon: 135)
        let p = try #require(pointAt(exactly: km))
        #expect(GeoDistance.roundedKm(origin, p) == Int(km) + 1)
        var below = p
        while GeoDistance.haversineKm(origin, below) >= km { below.lat = below.lat.nextDown }
        #expect(GeoDistance.roundedKm(origin, below) == Int(km))
    }

    @Test("haversine: zero, symmetric, half the circumference, and 東京駅–新大阪駅")
    func distances() {
        let tokyo = GeoPoint(lat: 35.681236, lon: 139.767125), shinOsaka = GeoPoint(lat: 34.733165, lon: 135.500214)
        #expect(GeoDistance.haversineKm(tokyo, tokyo) == 0)
        #expect(GeoDistance.haversineKm(tokyo, shinOsaka) == GeoDistance.haversineKm(shinOsaka, tokyo))
        #expect(abs(GeoDistance.haversineKm(GeoPoint(lat: 0, lon: 0), GeoPoint(lat: 0, lon: 180)) - 6371.0 * Double.pi) < 1e-9)
        // Great-circle 401.7 km on the 6371 km sphere (the rail route is longer).
        #expect(abs(GeoDistance.haversineKm(tokyo, shinOsaka) - 401.70608581) < 1e-6)
        #expect(GeoDistance.roundedKm(tokyo, shinOsaka) == 402)
    }
}
