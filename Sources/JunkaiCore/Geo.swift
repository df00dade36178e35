import Foundation

/// A WGS84 position in degrees.
public struct GeoPoint: Hashable, Sendable, Codable {
    public var lat: Double
    public var lon: Double
    public init(lat: Double, lon: Double) { self.lat = lat; self.lon = lon }
}

/// Great-circle distance as rotation-model.md defines it.
public enum GeoDistance {
    public static let earthRadiusKm = 6371.0

    /// Haversine distance in km on a 6371.0 km sphere, in IEEE double precision.
    public static func haversineKm(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let rad = Double.pi / 180.0
        let phi1 = a.lat * rad, phi2 = b.lat * rad
        let dphi = (b.lat - a.lat) * rad
        let dlambda = (b.lon - a.lon) * rad
        let s1 = sin(dphi / 2), s2 = sin(dlambda / 2)
        let h = s1 * s1 + cos(phi1) * cos(phi2) * s2 * s2
        return 2 * earthRadiusKm * asin(min(1.0, sqrt(h)))
    }

    /// The model's `km(staff, post)`: the haversine distance rounded half away from zero.
    public static func roundedKm(_ a: GeoPoint, _ b: GeoPoint) -> Int {
        roundedKm(haversineKm(a, b))
    }

    /// A distance in km rounded half away from zero, as the model rounds `km(staff, post)`.
    public static func roundedKm(_ km: Double) -> Int {
        // Non-finite or huge values cannot come from the haversine (at most πR); clamp rather than trap.
        guard km.isFinite else { return km > 0 ? Int.max : 0 }
        return Int(max(min(km.rounded(.toNearestOrAwayFromZero), 1e15), -1e15))
    }
}
