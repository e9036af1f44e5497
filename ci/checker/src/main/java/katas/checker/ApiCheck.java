package katas.checker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import kata.support.ApiRules;

/**
 * The grader's end of the API allow-list: the kata's compiled classes against its rules
 * ({@code katas/support/api-rules.txt}, then {@code katas/NAME/api-rules.txt}, both from the
 * trusted checkout), before any of the code runs. The learner's end is {@code kata.support.AllowedApiTest};
 * both use {@link ApiRules}, so the messages are the same.
 */
final class ApiCheck {
    private ApiCheck() {}

    /** The rule files of a kata, defaults first (the kata's own file may be missing: defaults only). */
    static List<Path> ruleFiles(Kata kata) {
        return List.of(kata.root().resolve("katas/support").resolve(ApiRules.FILE_NAME),
                kata.root().resolve("katas").resolve(kata.name()).resolve(ApiRules.FILE_NAME));
    }

    /** The kata's rules. */
    static ApiRules rules(Kata kata) throws IOException {
        List<Path> files = ruleFiles(kata);
        if (!java.nio.file.Files.isRegularFile(files.get(0))) {
            throw new IOException(files.get(0) + " is missing: the API rules every kata's code is checked against");
        }
        return ApiRules.load(files);
    }

    /**
     * The classes in {@code classes} (the implementation, just compiled) against the kata's rules:
     * ok, or not ok with a message that lists every violation (the kata's verdict is then
     * compile-error, as for javac's errors).
     */
    static Javac.Result check(Kata kata, Path classes) throws IOException {
        ApiRules rules = rules(kata);
        List<ApiRules.Violation> violations = rules.check(ApiRules.classFiles(classes));
        return violations.isEmpty() ? new Javac.Result(true, "") : new Javac.Result(false, rules.report(violations));
    }
}
