package io.squall.core.api;

import io.squall.api.ServiceError;
import io.squall.core.error.ErrorName;

/** The public API's error names are the catalogue's, constant for constant (a test holds the wire strings equal). */
final class ErrorNames {
    private ErrorNames() {}

    static ErrorName of(ServiceError error) {
        return ErrorName.valueOf(error.name());
    }
}
