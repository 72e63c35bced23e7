# Zendesk satisfaction ratings (API token, cursor pagination, time window
# with look-back; offered ratings are not responses; good/bad stored as
# CSAT 1/0): see connector_suite.inc.
VENDOR=zendesk
. tests/e2e/connector_suite.inc
