#!/bin/bash
# eorpc(7) checked against the loaded module: lists and statements.
exec "$(dirname "$0")/../install/man7-guest"
