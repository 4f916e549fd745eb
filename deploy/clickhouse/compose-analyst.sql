-- Read-only analyst user for the compose deployment (current ClickHouse has SQL-driven access control).
CREATE USER IF NOT EXISTS analyst IDENTIFIED WITH sha256_password BY 'analyst-local' SETTINGS readonly = 2;
GRANT SELECT ON factory.* TO analyst;
