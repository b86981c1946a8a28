/// Formats a float as Go's `%g` does (shortest digits; exponent form below 1e-4 or from 1e6 on).
public func goFormatG(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
    if v == 0 { return v.sign == .minus ? "-0" : "0" }
    // Extract shortest round-trip digits and decimal exponent from Swift's description.
    let desc = "\(v.magnitude)"
    var mantissa = desc
    var exp10 = 0
    if let e = desc.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mantissa = String(desc[..<e])
        exp10 = Int(desc[desc.index(after: e)...]) ?? 0
    }
    var intPart = mantissa
    var fracPart = ""
    if let dot = mantissa.firstIndex(of: ".") {
        intPart = String(mantissa[..<dot])
        fracPart = String(mantissa[mantissa.index(after: dot)...])
    }
    var digits = Array(intPart + fracPart)
    var pointPos = intPart.count + exp10  // decimal point after this many digits
    while let f = digits.first, f == "0", digits.count > 1 {
        digits.removeFirst()
        pointPos -= 1
    }
    while let l = digits.last, l == "0", digits.count > 1 { digits.removeLast() }
    let exp = pointPos - 1
    let sign = v < 0 ? "-" : ""
    if exp < -4 || exp >= 6 {
        var s = String(digits[0])
        if digits.count > 1 { s += "." + String(digits[1...]) }
        let ae = abs(exp)
        return sign + s + "e" + (exp < 0 ? "-" : "+") + (ae < 10 ? "0" : "") + String(ae)
    }
    if pointPos <= 0 {
        return sign + "0." + String(repeating: "0", count: -pointPos) + String(digits)
    }
    if pointPos >= digits.count {
        return sign + String(digits) + String(repeating: "0", count: pointPos - digits.count)
    }
    return sign + String(digits[..<pointPos]) + "." + String(digits[pointPos...])
}

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an exponent.
public func goFormatFloatF(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
    let s = "\(v)"
    guard let eIdx = s.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }
    let mantissa = String(s[..<eIdx])
    guard let exp = Int(s[s.index(after: eIdx)...]) else { return s }
    var negative = false
    var digits = mantissa
    if digits.hasPrefix("-") { negative = true; digits.removeFirst() }
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    let intPart = parts.first.map(String.init) ?? ""
    var frac = parts.count > 1 ? String(parts[1]) : ""
    if frac == "0" { frac = "" }
    let all = intPart + frac
    let pointPos = intPart.count + exp
    var out: String
    if pointPos <= 0 {
        out = "0." + String(repeating: "0", count: -pointPos) + all
    } else if pointPos >= all.count {
        out = all + String(repeating: "0", count: pointPos - all.count)
    } else {
        let i = all.index(all.startIndex, offsetBy: pointPos)
        out = String(all[..<i]) + "." + String(all[i...])
    }
    return (negative ? "-" : "") + out
}
