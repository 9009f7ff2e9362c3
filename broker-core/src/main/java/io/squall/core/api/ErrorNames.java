package io.squall.core.api;

import io.squall.api.ServiceError;
import io.squall.core.error.ErrorName;

/** The public API's error names are the catalogue's, constant for constant (a test holds the wire strings equal). */
final class ErrorNames {
    private ErrorNames() {}

    static ErrorName of(ServiceError error) {
        return ErrorName.valueOf(error.name());
    }

    /** The API's constant of a catalogue name; one the API does not carry is {@code Internal error}. */
    static ServiceError toApi(ErrorName name) {
        try {
            return ServiceError.valueOf(name.name());
        } catch (IllegalArgumentException e) {
            return ServiceError.INTERNAL_ERROR;
        }
    }
}
