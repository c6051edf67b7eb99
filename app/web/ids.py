"""Component ids, named once so layout, callbacks, scripts and tests agree."""

LOCATION = "url"
THEME = "theme-store"
THEME_TOGGLE = "theme-toggle"
NARROW = "narrow-store"  # True on a phone-sized screen: the timeline labels its lanes inside
COPY_LINK = "copy-link"

EXPLORER = "explorer-page"
DOC_PAGE = "doc-page"
REPORT_PAGE = "report-page"

SUMMARY = "corpus-summary"
OVERVIEW = "overview"
PERIOD_BUTTON = "period-button"  # pattern-matching type; index is the period's row
TIMELINE = "timeline"
TIMELINE_STATUS = "timeline-status"
LANE = "lane-facet"
LAG = "lag-toggle"
COLLAPSE = "collapse-toggle"
MAP = "map"
MAP_NOTE = "map-note"

FACET = "facet"  # pattern-matching type; index is the column name
FACET_BOX = "facet-box"
BACKGROUND = "background-toggle"
DATES = "date-range"
SEARCH = "search"
CLEAR = "clear-filters"
SELECTION_COUNT = "selection-count"

DETAIL = "detail"
NEXT = "next-event"
PREV = "prev-event"

TABLE = "table"
EXPORT_CSV = "export-csv"
EXPORT_JSON = "export-json"
DOWNLOAD = "download"
