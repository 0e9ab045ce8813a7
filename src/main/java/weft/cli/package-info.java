/**
 * The {@code weft} command line: {@code weft id} today; {@code perf}, {@code echo} and {@code ping} as the host
 * lands. Built into {@code target/weft.jar} by {@code mvn package}. This is the only package that knows picocli
 * and Logback; it prints results on stdout, logs on stderr, and exits non-zero with one clear line on error.
 */
package weft.cli;
