package web

// SafeNext is the post-login redirect check.
var SafeNext = safeNext
