import type { RtcCredentials, RtcMember } from '../../../../typings/api/call';
import { Emitter, type RtcSession } from './types';
import { formatClock } from '../format';

const WIDTH = 640;
const HEIGHT = 360;
const FPS = 15;

/** Distinct colours per seat so tiles are told apart at a glance. */
const TINTS: Record<string, string> = { dispatcher: '#1f3a5f', A: '#2b4c3f', B: '#4a3b2a', C: '#3d2f4f' };

/**
 * A stand-in for the RTC service, for tests and the embedded demo: no network, no camera. Each remote
 * party in the case gets a moving picture painted on a `<canvas>` and captured with
 * `captureStream()`, so the tiles show live video in headless Chromium and a still frame can be
 * grabbed from them exactly as from a real call. The dispatcher's own preview is painted the same way.
 */
export class FakeRtcSession implements RtcSession {
  readonly kind = 'fake' as const;
  private readonly events = new Emitter();
  private readonly painters = new Map<number, Painter>();
  private local: Painter | null = null;
  private joined = false;
  private members: readonly RtcMember[] = [];
  private selfUid = 1;
  private cameraOn = true;
  private cameraIndex = 0;

  on: RtcSession['on'] = (event, listener) => this.events.on(event, listener);

  async join(credentials: RtcCredentials): Promise<void> {
    this.events.emit('connection', 'connecting');
    await delay(150);
    this.joined = true;
    this.selfUid = credentials.uid;
    this.events.emit('connection', 'connected');
    this.local = new Painter('交警（本机）', TINTS.dispatcher!);
    this.events.emit('local', this.local.stream);
    this.syncRemotes();
  }

  async leave(): Promise<void> {
    this.joined = false;
    for (const [uid, painter] of this.painters) {
      painter.stop();
      this.events.emit('track', uid, null);
    }
    this.painters.clear();
    this.local?.stop();
    this.local = null;
    this.events.emit('local', null);
    this.events.emit('connection', 'disconnected');
  }

  async renewToken(_token: string): Promise<void> {}

  async setMicEnabled(_enabled: boolean): Promise<void> {}

  async setCameraEnabled(enabled: boolean): Promise<void> {
    this.cameraOn = enabled;
    this.events.emit('local', enabled && this.local ? this.local.stream : null);
  }

  async switchCamera(): Promise<string | null> {
    this.cameraIndex = (this.cameraIndex + 1) % 2;
    const label = this.cameraIndex === 0 ? '模拟摄像头 1' : '模拟摄像头 2';
    this.local?.setCaption(`交警（本机）· ${label}`);
    if (this.cameraOn && this.local) this.events.emit('local', this.local.stream);
    return label;
  }

  expectMembers(members: readonly RtcMember[]): void {
    this.members = members;
    if (this.joined) this.syncRemotes();
  }

  /** Every party the case has is "in the channel"; anyone gone from the case leaves it. */
  private syncRemotes(): void {
    const wanted = new Map(this.members.filter((m) => m.uid !== this.selfUid && m.who !== 'dispatcher').map((m) => [m.uid, m]));
    for (const [uid, painter] of this.painters) {
      if (wanted.has(uid)) continue;
      painter.stop();
      this.painters.delete(uid);
      this.events.emit('track', uid, null);
    }
    for (const [uid, member] of wanted) {
      if (this.painters.has(uid)) continue;
      const painter = new Painter(`${member.label} · 模拟画面`, TINTS[member.who] ?? '#333');
      this.painters.set(uid, painter);
      this.events.emit('track', uid, painter.stream);
    }
  }
}

/** One animated canvas and its captured stream. */
class Painter {
  readonly stream: MediaStream;
  private readonly canvas = document.createElement('canvas');
  private readonly timer: number;
  private frame = 0;

  constructor(
    private caption: string,
    private readonly tint: string,
  ) {
    this.canvas.width = WIDTH;
    this.canvas.height = HEIGHT;
    this.paint();
    this.stream = this.canvas.captureStream(FPS);
    this.timer = window.setInterval(() => this.paint(), 1000 / FPS);
  }

  setCaption(caption: string): void {
    this.caption = caption;
  }

  stop(): void {
    window.clearInterval(this.timer);
    for (const track of this.stream.getTracks()) track.stop();
  }

  /** A road, lane marks sliding past, a car, the seat's caption and a running clock. */
  private paint(): void {
    const g = this.canvas.getContext('2d');
    if (!g) return;
    const t = this.frame++;
    g.fillStyle = this.tint;
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.fillStyle = '#555b61';
    g.fillRect(0, HEIGHT * 0.55, WIDTH, HEIGHT * 0.45);
    g.fillStyle = '#f2f2f2';
    for (let x = -((t * 6) % 120); x < WIDTH; x += 120) g.fillRect(x, HEIGHT * 0.76, 60, 8);
    const carX = WIDTH * 0.3 + Math.sin(t / 20) * 40;
    g.fillStyle = '#d9d9d9';
    g.fillRect(carX, HEIGHT * 0.5, 220, 70);
    g.fillRect(carX + 40, HEIGHT * 0.4, 130, 45);
    g.fillStyle = '#222';
    g.beginPath();
    g.arc(carX + 50, HEIGHT * 0.5 + 72, 20, 0, Math.PI * 2);
    g.arc(carX + 170, HEIGHT * 0.5 + 72, 20, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = 'rgba(0,0,0,0.55)';
    g.fillRect(0, 0, WIDTH, 48);
    g.fillStyle = '#fff';
    g.font = '24px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
    g.textBaseline = 'middle';
    g.fillText(this.caption, 16, 24);
    g.textAlign = 'right';
    // Beijing time like every clock of the console, not the desk machine's zone.
    g.fillText(formatClock(Date.now()), WIDTH - 16, 24);
    g.textAlign = 'left';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => window.setTimeout(resolve, ms));
}
