# Genesys Cloud (OAuth client credentials, analytics details query, quality
# surveys): see connector_suite.inc.  Access tokens live 2 s and are
# announced as such, so the sync renews them on its own.
VENDOR=genesys
MOCK_ARGS="--genesys-token-ttl 2"
. tests/e2e/connector_suite.inc
