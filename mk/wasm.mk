# wasm workstream: the WebAssembly build of the core and the browser XML viewer.
#   make build-wasm   build bindings-wasm/{www/pkg,pkg,pkg-node}
#   make test-wasm    clippy for wasm32, node tests, browser tests (Debian's Chromium)
#   make bench-wasm   inspect a generated 1 MB invoice in node and Chromium; gzipped .wasm size

WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"/\1/p;}' Cargo.lock)
WASM_FILE    := target/wasm32-unknown-unknown/wasm/hacienda_wasm.wasm
WASM_WWW     := bindings-wasm/www/pkg
WASM_STAMP   := bindings-wasm/www/pkg/.stamp
CHROMIUM     ?= /usr/bin/chromium
BROWSER_DEPS := tests/browser/node_modules/.stamp
WASM_SOURCES := $(shell find core/src bindings-wasm/src -name '*.rs' -o -name '*.json') bindings-wasm/Cargo.toml core/Cargo.toml Cargo.toml Cargo.lock

.PHONY: wasm-setup build-wasm test-wasm lint-wasm test-wasm-node test-wasm-browser bench-wasm

wasm-setup: rust-setup
	@rustup target list --installed 2>/dev/null | grep -qx 'wasm32-unknown-unknown' || rustup target add wasm32-unknown-unknown
	@wasm-bindgen --version 2>/dev/null | grep -qx 'wasm-bindgen $(WASM_BINDGEN_VERSION)' || \
		cargo install wasm-bindgen-cli --version =$(WASM_BINDGEN_VERSION)
	@command -v node >/dev/null && command -v npm >/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq nodejs npm; }
	@test -x $(CHROMIUM) || { apt-get update -qq && apt-get install -y -qq chromium; }

$(BROWSER_DEPS): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WASM_STAMP): $(WASM_SOURCES) | wasm-setup
	cargo build -q --target wasm32-unknown-unknown --profile wasm -p hacienda-wasm
	wasm-bindgen --target no-modules --no-typescript --out-dir $(WASM_WWW) $(WASM_FILE)
	printf 'window.HACIENDA_WASM_BASE64 = "%s";\n' "$$(base64 -w0 $(WASM_WWW)/hacienda_wasm_bg.wasm)" \
		> $(WASM_WWW)/hacienda_wasm_inline.js
	wasm-bindgen --target web --no-typescript --out-dir bindings-wasm/pkg $(WASM_FILE)
	wasm-bindgen --target nodejs --no-typescript --out-dir bindings-wasm/pkg-node $(WASM_FILE)
	echo '{"type": "commonjs"}' > bindings-wasm/pkg-node/package.json
	touch $@

build-wasm: wasm-setup $(WASM_STAMP)

lint-wasm: wasm-setup
	cargo clippy -q -p hacienda-wasm -p hacienda-core --target wasm32-unknown-unknown -- -D warnings

test-wasm-node: build-wasm
	node --test --test-reporter=spec tests/js/

test-wasm-browser: build-wasm $(BROWSER_DEPS)
	CHROMIUM=$(CHROMIUM) node --test --test-reporter=spec --test-concurrency=1 tests/browser/

test-wasm: lint-wasm test-wasm-node test-wasm-browser

bench-wasm: build-wasm $(BROWSER_DEPS)
	CHROMIUM=$(CHROMIUM) node benches/bench_wasm.mjs

EXTRA_TESTS += test-wasm
EXTRA_BENCH += bench-wasm
