module github.com/kernia/kernia-gen

go 1.26.8

require (
	github.com/oapi-codegen/oapi-codegen/v2 v2.8.2 // indirect
	github.com/sqlc-dev/sqlc v1.31.1 // indirect
)
