/// The pages' language: Norwegian bokmål by default, English with `?lang=en`.
enum DashboardLanguage: String, CaseIterable, Sendable {
    case norwegian = "nb"
    case english = "en"

    /// The language a request asks for with `lang`; bokmål for anything else.
    init(query: String?) {
        self = query == "en" ? .english : .norwegian
    }

    /// The query to add to a link so that the next page keeps the language: `""` or `?lang=en`.
    var linkQuery: String { self == .english ? "?lang=en" : "" }

    /// `path` with the language's query.
    func link(_ path: String) -> String { path + linkQuery }

    /// The texts in this language.
    var text: DashboardText { DashboardText(self) }
}
