# Formbricks (management API v1, x-api-key, limit/skip): see connector_suite.inc.
VENDOR=formbricks
. tests/e2e/connector_suite.inc
