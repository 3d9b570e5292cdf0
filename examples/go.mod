// The examples are main packages to copy into a module where `kernia-gen init` ran, with
// module path example.com/app and the auth package in internal/auth. This file pins the
// router versions they are tested with (e2e/examples_test.go) and keeps them out of
// kernia-gen's own module.
module example.com/app

go 1.26

require (
	github.com/gin-gonic/gin v1.12.0
	github.com/go-chi/chi/v5 v5.5.0
	github.com/labstack/echo/v5 v5.4.4
)
