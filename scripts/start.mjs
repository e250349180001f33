#!/usr/bin/env node
console.error('the platform start command arrives with the planning service')
process.exit(1)
