/// One labelled value of a chart.
struct ChartBar: Sendable, Equatable {
    /// What it counts, as the chart and its table label it.
    var label: String
    /// The count, or hidden.
    var figure: Figure
    /// The colour class (`c1` to `c5`) of a stacked segment or a legend entry.
    var colour: String = "c1"
}
