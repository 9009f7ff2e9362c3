package io.squall.snap.codec;

/**
 * What a codec has seen, for metrics. Written by the one thread that decodes (the broker loop), read by metrics
 * scrapes from any thread: single writer, so volatile fields are enough.
 */
public final class CodecStats {
    private volatile long frames;
    private volatile long crcErrors;
    private volatile long framingErrors;
    private volatile long oversize;
    private volatile long unsupported;

    /** A frame decoded into a message. */
    public void frame() {
        frames++;
    }

    /** A frame whose checksum did not match. */
    public void crcError() {
        crcErrors++;
    }

    /** A frame cut short, aborted, or whose payload does not parse. */
    public void framingError() {
        framingErrors++;
    }

    /** A frame longer than the codec allows, dropped up to its end. */
    public void oversize() {
        oversize++;
    }

    /** A well-formed frame of a version, kind or argument type this codec does not handle. */
    public void unsupported() {
        unsupported++;
    }

    public long frames() {
        return frames;
    }

    public long crcErrors() {
        return crcErrors;
    }

    public long framingErrors() {
        return framingErrors;
    }

    public long oversizeFrames() {
        return oversize;
    }

    public long unsupportedFrames() {
        return unsupported;
    }

    /** Every frame dropped, whatever the reason. */
    public long dropped() {
        return crcErrors + framingErrors + oversize + unsupported;
    }

    @Override
    public String toString() {
        return "frames=" + frames + " crc=" + crcErrors + " framing=" + framingErrors + " oversize=" + oversize
                + " unsupported=" + unsupported;
    }
}
