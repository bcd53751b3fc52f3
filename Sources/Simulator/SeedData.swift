import WolkvoxAPI

/// Deterministic demo and test data with the variety real campaigns have:
/// Spanish and Portuguese names with accents, some CJK and emoji, long
/// names, blanks, 1–3 phones, opt fields, all ten results — and, rarely,
/// hostile text (an ANSI escape, a bidi override) so sanitizing is exercised.
public enum SeedData {
    /// A switchboard number shared by many records (every `hotPhoneEvery`-th),
    /// for "many results" demos and the 60,000-row benchmark.
    public static let sharedPhone = "6015550000"
    /// Phones and IDs a demo or test can search for (present for any seed with ≥ 10 records).
    public static let samplePhones = ["3001234567", "3109876543", "5511987654321"]
    public static let sampleIDs = ["CC1001", "CC1002", "JP-77"]

    static let firstNames = [
        "María José", "José Luis", "Ana Lucía", "João", "Conceição", "Luis Ángel", "Sofía", "Andrés",
        "Camila", "Gonçalo", "Iñaki", "Begoña", "Tomás", "Valentina", "Sebastião", "Renée", "Zoë", "Martín",
    ]
    static let lastNames = [
        "Peñaloza Ñúñez", "Gómez", "Rodríguez", "Araújo", "Conceição", "Muñoz", "Hernández", "Sánchez",
        "Gonçalves", "Pérez", "Díaz", "Ibáñez", "Magalhães", "Castaño", "Løvaas", "Ortiz",
    ]
    static let cjk = [("山田", "太郎"), ("王", "小明"), ("김", "민준"), ("佐藤", "花子")]
    static let emoji = ["Ana 🌻", "Pedro 👍🏽", "Luz ✨"]
    static let cities = ["Bogotá", "Medellín", "São Paulo", "Cali", "Barranquilla", "Belo Horizonte", "Ciudad de México"]
    static let products = ["Tarjeta Oro", "Crédito libre inversión", "Plan Móvil 20 GB", "Seguro de vida", "Cuenta Poupança"]

    public static func campaigns(count: Int, seed: UInt64) -> [SimCampaign] {
        let names = [
            "Cobranza Norte", "Ventas Renovación", "Encuestas Q4", "Retención Móvil", "Cobrança São Paulo",
            "Bienvenida Clientes", "Recuperación Cartera", "Pesquisa de Satisfação",
        ]
        var rng = SeededRandom(seed: seed ^ 0xC0FFEE)
        return (0..<max(1, count)).map { i in
            let base = names[i % names.count]
            return SimCampaign(
                id: String(101 + i * 101 % 1000 + (i / names.count) * 1000),
                name: i < names.count ? base : "\(base) \(i / names.count + 1)",
                type: i % 3 == 1 ? .preview : .predictive,
                status: rng.chance(0.7) || i == 0 ? "Started" : "Stopped",
                description: "Campaña \(base)")
        }
    }

    public static func records(count: Int, campaigns: [SimCampaign], seed: UInt64, hotPhoneEvery: Int = 50) -> [SimRecord] {
        var rng = SeededRandom(seed: seed)
        var out: [SimRecord] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let campaign = campaigns[i % campaigns.count]
            var r = CustomerRecord(customerID: "")
            switch i {
            case 0: (r.customerName, r.customerLastName, r.customerID, r.tel1) = ("María José", "Peñaloza Ñúñez", "CC1001", samplePhones[0])
            case 1: (r.customerName, r.customerLastName, r.customerID, r.tel1) = ("山田", "太郎", "JP-77", samplePhones[0])
            case 2: (r.customerName, r.customerLastName, r.customerID, r.tel1) = ("João", "Conceição", "CC1002", samplePhones[1])
            case 3: (r.customerName, r.customerLastName, r.customerID, r.tel1) = ("Ana 🌻", "Gonçalves", "BR-2203", samplePhones[2])
            default:
                let roll = rng.next() % 1000
                if roll < 30 {
                    let n = rng.pick(cjk)
                    r.customerName = n.1
                    r.customerLastName = n.0
                } else if roll < 45 {
                    r.customerName = rng.pick(emoji)
                    r.customerLastName = rng.pick(lastNames)
                } else if roll < 55 {
                    r.customerName = "María de los Ángeles Guadalupe del Carmen"
                    r.customerLastName = "Fernández de Córdoba y Hinojosa"
                } else if roll < 65 {
                    r.customerName = ""
                    r.customerLastName = ""
                } else if roll == 997 {
                    r.customerName = "Evil\u{1B}[31mRED\u{1B}[0m"
                    r.customerLastName = "\u{1B}]0;pwned\u{07}Title"
                } else if roll == 998 {
                    r.customerName = "Bidi \u{202E}gnorw"
                    r.customerLastName = "Test"
                } else {
                    r.customerName = rng.pick(firstNames)
                    r.customerLastName = rng.pick(lastNames)
                }
                r.customerID = rng.chance(0.8) ? "CC\(20_000_000 + i * 7919 % 9_000_000)" : "ID-\(i)-\(rng.int(10...99))"
                r.tel1 = phone(&rng)
            }
            if rng.chance(0.5) { r.tel2 = phone(&rng) }
            if !r.tel2.isEmpty && rng.chance(0.4) { r.tel3 = phone(&rng) }
            if hotPhoneEvery > 0 && i >= 4 && i % hotPhoneEvery == 0 { r.tel3 = sharedPhone }
            r.opts[0] = "saldo \(rng.int(0...9_999) * 1000)"
            r.opts[1] = rng.pick(products)
            r.opts[2] = rng.pick(cities)
            if rng.chance(0.3) { r.opts[3] = "mora \(rng.int(1...180)) días" }
            r.opts[11] = rng.chance(0.1) ? "último-opt" : ""
            r.date = String(format: "2026-11-%02d %02d:%02d:%02d", rng.int(1...23), rng.int(7...20), rng.int(0...59), rng.int(0...59))
            r.calls = String(rng.int(0...12))
            r.connID = "c\(100_000 + i)"
            r.result = RecordResult.allCases[Int(rng.next() % 10)].rawValue
            r.campaignID = campaign.id
            out.append(SimRecord(seq: i, record: r))
        }
        return out
    }

    static func phone(_ rng: inout SeededRandom) -> String {
        if rng.chance(0.8) { return "3\(rng.int(0...5))\(rng.int(0...9))\(rng.int(1_000_000...9_999_999))" }
        return "55\(rng.pick(["11", "21", "31"]))9\(rng.int(10_000_000...99_999_999))"
    }
}
